pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// One form field from the catalogue, drawn by its kind: a text box (with the keyboard the
// field needs: Hindi, English or digits) or big option buttons for a choice. The help line sits
// under the label; after "Next" a problem is said in red right under the field, in the
// citizen's language and, smaller, in the other one.
ColumnLayout {
    id: field
    property var spec: ({})
    readonly property var problem: Apply.fieldErrors[spec.key]
    readonly property bool hasProblem: problem !== undefined && problem !== null
    // The name typed in the other script, transliterated: shown inside the empty box, taken
    // with one tap — inside the box, so nothing below moves while the citizen types.
    readonly property string suggestion: Apply.nameSuggestions[spec.key] ?? ""
    readonly property bool offering: suggestion !== "" && box.text === ""
    property alias input: box
    signal focused(Item item, string locale)
    // Enter on either keyboard: the form moves on to the next field (or the step's Next).
    signal advance(Item item)
    objectName: "field_" + spec.key
    spacing: 8

    // The label may follow another answer ("पति का नाम" once पति is chosen).
    readonly property string label: {
        const chosen = field.spec.labelFrom ? Apply.answers[field.spec.labelFrom] : undefined
        return chosen && field.spec.labels[chosen] ? field.spec.labels[chosen] : field.spec.label
    }

    Text {
        objectName: "label_" + field.spec.key
        textFormat: Text.PlainText
        text: field.spec.required ? field.label : field.label + "  " + qsTr("(optional)")
        color: Theme.text
        font.pixelSize: Theme.bodySize
        font.weight: Font.Bold
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
    Text {
        textFormat: Text.PlainText
        visible: field.spec.help !== ""
        text: field.spec.help
        color: Theme.muted
        font.pixelSize: Theme.smallSize
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
    TextField {
        id: box
        objectName: "input_" + field.spec.key
        visible: field.spec.kind !== "choice"
        Layout.fillWidth: true
        Layout.preferredHeight: Math.round(88 * Theme.textScale)
        font.pixelSize: Math.round(36 * Theme.textScale)
        leftPadding: 24
        color: Theme.text
        maximumLength: field.spec.maxLength
        placeholderText: field.offering ? field.suggestion
                         : field.spec.kind === "date" ? qsTr("DD-MM-YYYY") : ""
        placeholderTextColor: field.offering ? Theme.blue : Theme.muted
        rightPadding: field.offering ? useButton.width + 24 : 12
        inputMethodHints: field.spec.input === "digits" ? (Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText)
                          : field.spec.input === "number" ? (Qt.ImhFormattedNumbersOnly | Qt.ImhNoPredictiveText)
                          : field.spec.script === "latin" ? (Qt.ImhNoPredictiveText | Qt.ImhLatinOnly)
                          : Qt.ImhNoPredictiveText
        Component.onCompleted: text = field.spec.value
        onTextChanged: Apply.setAnswer(field.spec.key, text)
        // Tell the keyboard what this box is: its script, a money amount (000 key), a name
        // (name chips, the form's other names' surname first).
        onActiveFocusChanged: if (activeFocus) {
            KeyboardArea.claim(box, field.spec.locale, field.spec.kind === "text"
                               && field.spec.script !== "any", field.spec.kind === "money",
                               field.spec.isName === true,
                               field.spec.isName === true ? Apply.nameFamily(field.spec.key) : [])
            field.focused(field, field.spec.locale)
        }
        onAccepted: field.advance(field)
        // Kiosk mode has no Cut/Copy/Paste menu (a way into another citizen's form, and in Qt's
        // English); kiosk_mode.py also swallows the window's context-menu events.
        ContextMenu.menu: null
        KioskButton {
            id: useButton
            objectName: "useSuggestion_" + field.spec.key
            visible: field.offering
            anchors { right: parent.right; rightMargin: 8; verticalCenter: parent.verticalCenter }
            height: parent.height - 16
            width: 240
            kind: "secondary"
            textSize: Theme.smallSize
            text: qsTr("Use this")
            onClicked: box.text = field.suggestion
        }
        background: Rectangle {
            radius: 14
            color: field.hasProblem ? Theme.dangerLight : Theme.card
            border.width: box.activeFocus || field.hasProblem ? 4 : 2
            border.color: field.hasProblem ? Theme.danger : (box.activeFocus ? Theme.blue : Theme.border)
        }
    }
    FormPlaceList {
        spec: field.spec
        input: box
        Layout.fillWidth: true
    }
    FormCountTiles { spec: field.spec; input: box; Layout.fillWidth: true }
    Flow {
        visible: field.spec.kind === "choice"
        Layout.fillWidth: true
        spacing: 16
        Repeater {
            model: field.spec.kind === "choice" ? field.spec.options : []
            ApplyToggle {
                required property var modelData
                objectName: "choice_" + field.spec.key + "_" + modelData.value
                width: Math.min(implicitWidth, field.width)   // a long label wraps, never overflows
                text: modelData.label
                // modelData, not field: a delegate outlives its field for a moment on a step change
                checked: Apply.answers[modelData.key] === modelData.value
                onClicked: Apply.setAnswer(field.spec.key, modelData.value)
            }
        }
    }
    Text {
        textFormat: Text.PlainText
        objectName: "error_" + field.spec.key
        visible: field.hasProblem
        text: field.hasProblem ? field.problem.text : ""
        color: Theme.danger
        font.pixelSize: Theme.bodySize
        font.weight: Font.Bold
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
    Text {
        textFormat: Text.PlainText
        visible: field.hasProblem && field.problem.textOther !== field.problem.text
        text: field.hasProblem ? field.problem.textOther : ""
        color: Theme.danger
        font.pixelSize: Theme.smallSize
        wrapMode: Text.WordWrap
        Layout.fillWidth: true
    }
}
