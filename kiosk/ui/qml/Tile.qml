import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// A large white card with a pictogram, the name in the session language and, smaller, in the
// other language (many citizens read one script better than the other). A disabled tile says
// in words why it cannot be tapped, so greyed-out is never the only signal.
AbstractButton {
    id: tile
    property string subText: ""
    property string iconName: ""
    property string badge: ""            // e.g. the group letter
    property string note: ""             // e.g. "Coming soon"
    readonly property bool touchTarget: true
    implicitHeight: 220
    implicitWidth: 420
    focusPolicy: Qt.NoFocus
    Accessible.name: text

    background: Rectangle {
        radius: Theme.radius
        color: tile.enabled ? Theme.card : Theme.disabledBg
        border.width: tile.enabled ? 3 : 2
        border.color: tile.enabled ? (tile.down ? Theme.saffron : Theme.border) : Theme.border
        scale: tile.down ? 0.98 : 1.0
        Behavior on scale { NumberAnimation { duration: 80 } }
        Rectangle {
            visible: tile.enabled
            width: 12
            radius: 6
            color: Theme.saffron
            anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: 18 }
        }
    }

    contentItem: RowLayout {
        spacing: Theme.gap
        anchors.fill: parent
        anchors.leftMargin: 48
        anchors.rightMargin: 28
        Item {
            Layout.preferredWidth: 104
            Layout.preferredHeight: 104
            Layout.alignment: Qt.AlignVCenter
            Rectangle {
                anchors.fill: parent
                radius: width / 2
                color: tile.enabled ? Theme.blueLight : Qt.darker(Theme.disabledBg, 1.04)
            }
            Icon {
                visible: tile.iconName !== ""
                anchors.centerIn: parent
                width: 68; height: 68
                name: tile.iconName
                color: tile.enabled ? Theme.blue : Theme.disabledText
            }
            Text {
                textFormat: Text.PlainText
                visible: tile.iconName === "" && tile.badge !== ""
                anchors.centerIn: parent
                text: tile.badge
                color: Theme.blue
                font.pixelSize: 56
                font.weight: Font.Bold
            }
            // picture and letter together: the letter is what the slip and the board show
            Rectangle {
                visible: tile.iconName !== "" && tile.badge !== ""
                anchors { right: parent.right; bottom: parent.bottom; margins: -6 }
                width: 48; height: 48; radius: 24
                color: tile.enabled ? Theme.blue : Theme.disabledText
                border.color: Theme.card
                border.width: 3
                Text {
                    textFormat: Text.PlainText
                    anchors.centerIn: parent
                    text: tile.badge
                    color: "white"
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.Bold
                }
            }
        }
        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 4
            Text {
                textFormat: Text.PlainText
                text: tile.text
                color: tile.enabled ? Theme.text : Theme.disabledText
                font.pixelSize: Theme.largeSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                visible: tile.subText !== ""
                text: tile.subText
                color: tile.enabled ? Theme.muted : Theme.disabledText
                font.pixelSize: Theme.bodySize
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Rectangle {
                visible: tile.note !== ""
                Layout.topMargin: 8
                radius: 12
                color: Theme.card
                border.color: Theme.disabledText
                border.width: 2
                implicitWidth: noteText.implicitWidth + 32
                implicitHeight: noteText.implicitHeight + 8
                Text {
                    textFormat: Text.PlainText
                    id: noteText
                    anchors.centerIn: parent
                    text: tile.note
                    color: Theme.disabledText
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.DemiBold
                }
            }
        }
    }
}
