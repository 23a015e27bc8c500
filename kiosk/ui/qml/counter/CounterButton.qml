import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import ".."

// A console button: its label, and the key that does the same (shown, so operators learn it).
AbstractButton {
    id: control
    property string keyText: ""
    property string kind: "primary"        // primary | secondary | saffron | danger | green
    property int textSize: CounterStyle.body
    focusPolicy: Qt.NoFocus
    Accessible.name: text

    readonly property color fillColor: {
        if (!enabled) return Theme.disabledBg
        switch (kind) {
        case "secondary": return Theme.card
        case "saffron": return Theme.saffron
        case "danger": return Theme.danger
        case "green": return Theme.green
        default: return Theme.blue
        }
    }
    readonly property color inkColor: !enabled ? Theme.disabledText
                                               : (kind === "secondary" ? Theme.blue : "white")

    implicitHeight: Math.max(CounterStyle.control, row.implicitHeight + 16)
    implicitWidth: row.implicitWidth + 32

    background: Rectangle {
        radius: CounterStyle.radius
        color: control.fillColor
        border.width: control.kind === "secondary" ? 2 : 0
        border.color: control.enabled ? Theme.blue : Theme.border
        opacity: control.down ? 0.8 : 1.0
    }
    contentItem: Item {
        implicitWidth: row.implicitWidth
        implicitHeight: row.implicitHeight
        RowLayout {
            id: row
            anchors.centerIn: parent
            width: Math.min(implicitWidth, parent.width)
            spacing: 10
            Text {
                textFormat: Text.PlainText
                text: control.text
                color: control.inkColor
                font.pixelSize: control.textSize
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
                Layout.maximumWidth: control.width - 24 - (keyCap.visible ? keyCap.width + 10 : 0)
            }
            Rectangle {
                id: keyCap
                visible: control.keyText !== ""
                radius: 4
                color: "transparent"
                border.width: 1
                border.color: control.inkColor
                implicitWidth: keyLabel.implicitWidth + 10
                implicitHeight: keyLabel.implicitHeight + 4
                Text {
                    textFormat: Text.PlainText
                    id: keyLabel
                    anchors.centerIn: parent
                    text: control.keyText
                    color: control.inkColor
                    font.pixelSize: CounterStyle.small
                    font.family: "Noto Sans"
                }
            }
        }
    }
}
