import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// One service in the list: its name in the citizen's language, smaller in the other with the
// fee, then a "Same day" badge where the Act promises that and how many working days it takes.
// A fixed height (names are elided) lets the list page exactly.
AbstractButton {
    id: tile
    property var service: ({})
    property bool compact: false          // one line for the name (landscape)
    readonly property bool touchTarget: true
    focusPolicy: Qt.NoFocus
    Accessible.name: service.name || ""

    background: Rectangle {
        radius: Theme.radius
        color: Theme.card
        border.width: 3
        border.color: tile.down ? Theme.saffron : Theme.border
        Rectangle {
            width: 10
            radius: 5
            color: Theme.saffron
            anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: 16 }
        }
    }

    contentItem: Item {
        ColumnLayout {
            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                      leftMargin: 44; rightMargin: 24 }
            spacing: 4
            Text {
                textFormat: Text.PlainText
                text: tile.service.name || ""
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                maximumLineCount: tile.compact ? 1 : 2
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            RowLayout {
                Layout.fillWidth: true
                spacing: 14
                Text {
                    textFormat: Text.PlainText
                    text: tile.service.nameOther || ""
                    color: Theme.muted
                    font.pixelSize: Theme.smallSize
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    text: tile.service.fee || ""
                    color: Theme.text
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.DemiBold
                }
            }
            RowLayout {
                Layout.fillWidth: true
                Layout.topMargin: 2
                spacing: 14
                Rectangle {
                    visible: tile.service.sameDay === true
                    radius: 10
                    color: Theme.greenLight
                    border.color: Theme.green
                    border.width: 2
                    Layout.preferredWidth: badgeText.implicitWidth + 24
                    Layout.preferredHeight: badgeText.implicitHeight + 2
                    Text {
                        textFormat: Text.PlainText
                        id: badgeText
                        anchors.centerIn: parent
                        text: qsTr("Same day")
                        color: Theme.green
                        font.pixelSize: Theme.smallSize
                        font.weight: Font.Bold
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    text: tile.service.days || ""
                    color: Theme.blue
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.DemiBold
                    elide: Text.ElideRight
                    Layout.fillWidth: true
                }
            }
        }
    }
}
