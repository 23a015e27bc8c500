import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// The one button of the kiosk: at least Theme.buttonHeight tall, optional second-language line,
// optional pictogram. `touchTarget` lets the UI tests find every tappable thing and measure it.
AbstractButton {
    id: control
    property string subText: ""
    property string iconName: ""
    property string kind: "primary"        // primary | secondary | saffron | danger | ghost
    property int textSize: Theme.largeSize
    readonly property bool touchTarget: true

    readonly property color fillColor: {
        if (!enabled) return Theme.disabledBg
        switch (kind) {
        case "secondary": return Theme.card
        case "saffron": return Theme.saffron
        case "danger": return Theme.danger
        case "ghost": return "transparent"
        default: return Theme.blue
        }
    }
    readonly property color inkColor: {
        if (!enabled) return Theme.disabledText
        return (kind === "secondary" || kind === "ghost") ? Theme.blue : "white"
    }

    implicitHeight: Math.max(Theme.buttonHeight, content.implicitHeight + 32)
    implicitWidth: Math.max(Theme.buttonHeight, content.implicitWidth + 64)
    focusPolicy: Qt.NoFocus
    Accessible.name: text

    background: Rectangle {
        radius: Theme.radius
        color: control.fillColor
        border.width: control.kind === "secondary" || control.kind === "ghost" ? 3 : 0
        border.color: control.enabled ? Theme.blue : Theme.border
        opacity: control.down ? 0.82 : 1.0
        scale: control.down ? 0.98 : 1.0
        Behavior on scale { NumberAnimation { duration: 80 } }
    }

    contentItem: Item {
        implicitWidth: content.implicitWidth
        implicitHeight: content.implicitHeight
        RowLayout {
            id: content
            anchors.centerIn: parent
            width: Math.min(implicitWidth, parent.width)
            spacing: 20
            Icon {
                visible: control.iconName !== ""
                name: control.iconName
                color: control.inkColor
                Layout.preferredWidth: control.textSize * 1.3
                Layout.preferredHeight: control.textSize * 1.3
            }
            ColumnLayout {
                spacing: 2
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    text: control.text
                    color: control.inkColor
                    font.pixelSize: control.textSize
                    font.weight: Font.DemiBold
                    wrapMode: Text.WordWrap
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                    Layout.maximumWidth: control.width - 64
                }
                Text {
                    textFormat: Text.PlainText
                    visible: control.subText !== ""
                    text: control.subText
                    color: control.inkColor
                    opacity: 0.9
                    font.pixelSize: Theme.smallSize
                    wrapMode: Text.WordWrap
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                    Layout.maximumWidth: control.width - 64
                }
            }
        }
    }
}
