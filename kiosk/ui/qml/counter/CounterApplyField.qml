pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// One field of the desk's wizard: its label in the console's language with the other one
// beside it, the input (text, or a list for a choice), and the kiosk's own message when the
// centre's check refused it. Enter moves to the next field; on the last one, to the next step.
ColumnLayout {
    id: field
    required property var modelData
    required property int index
    property bool last: false
    readonly property string error: DeskWizard.errors[field.modelData.key] || ""
    spacing: 2

    function takeFocus(): void {
        if (field.modelData.kind === "choice")
            choice.forceActiveFocus()
        else
            input.forceActiveFocus()
    }

    function advance(): void {
        if (field.last)
            DeskWizard.next()
        else
            (field.modelData.kind === "choice" ? choice : input).nextItemInFocusChain(true).forceActiveFocus()
    }

    RowLayout {
        spacing: 8
        Layout.fillWidth: true
        Text {
            textFormat: Text.PlainText
            text: field.modelData.label + (field.modelData.required ? " *" : "")
            color: Theme.text
            font.pixelSize: CounterStyle.small
            font.weight: Font.DemiBold
            elide: Text.ElideRight
        }
        Text {
            textFormat: Text.PlainText
            text: field.modelData.labelOther
            color: Theme.muted
            font.pixelSize: Math.round(CounterStyle.small * 0.85)
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
    }

    TextField {
        id: input
        objectName: "deskField_" + field.modelData.key
        visible: field.modelData.kind !== "choice"
        text: field.modelData.value
        maximumLength: Math.max(1, field.modelData.maxLength)
        placeholderText: field.modelData.help
        font.pixelSize: CounterStyle.body
        inputMethodHints: ["mobile", "aadhaar", "pin", "number", "money", "decimal"].indexOf(field.modelData.kind) >= 0 ? Qt.ImhDigitsOnly : Qt.ImhNone
        Layout.fillWidth: true
        Layout.preferredHeight: Math.round(40 * CounterStyle.scale)
        background: Rectangle {
            radius: 6
            color: Theme.card
            border.width: input.activeFocus ? 2 : 1
            border.color: field.error !== "" ? Theme.danger : input.activeFocus ? Theme.blue : Theme.border
        }
        onTextEdited: DeskWizard.setAnswer(field.modelData.key, text)
        Keys.onReturnPressed: (event) => {
            if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
            field.advance()
        }
        Keys.onEnterPressed: (event) => {
            if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
            field.advance()
        }
    }

    ComboBox {
        id: choice
        objectName: "deskChoice_" + field.modelData.key
        visible: field.modelData.kind === "choice"
        model: field.modelData.options
        textRole: "label"
        valueRole: "value"
        font.pixelSize: CounterStyle.body
        Layout.fillWidth: true
        Layout.preferredHeight: Math.round(40 * CounterStyle.scale)
        currentIndex: {
            const opts = field.modelData.options
            for (let i = 0; i < opts.length; ++i)
                if (opts[i].value === field.modelData.value) return i
            return -1
        }
        displayText: currentIndex < 0 ? qsTr("— choose —") : currentText
        onActivated: DeskWizard.setAnswer(field.modelData.key, currentValue)
        Keys.onReturnPressed: (event) => {
            if (popup.visible || (event.modifiers & Qt.ControlModifier)) { event.accepted = false; return }
            if (currentIndex >= 0) DeskWizard.setAnswer(field.modelData.key, currentValue)
            field.advance()
        }
        Keys.onEnterPressed: (event) => {
            if (popup.visible || (event.modifiers & Qt.ControlModifier)) { event.accepted = false; return }
            if (currentIndex >= 0) DeskWizard.setAnswer(field.modelData.key, currentValue)
            field.advance()
        }
        // Up/Down change the choice without opening the list: keep the stored answer in step
        onCurrentIndexChanged: if (activeFocus && currentIndex >= 0) DeskWizard.setAnswer(field.modelData.key, currentValue)
    }

    Text {
        textFormat: Text.PlainText
        objectName: "deskError_" + field.modelData.key
        visible: field.error !== ""
        text: field.error
        color: Theme.danger
        font.pixelSize: CounterStyle.small
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
}
