pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// Who is the token for? Priority citizens are served first; the pictograms let someone who
// reads neither label well still find "senior", "wheelchair" or "mother".
Rectangle {
    id: screen
    objectName: "priorityScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: Queue.selectedGroupName
        onBackClicked: Session.goBack()
    }

    Flickable {
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
        contentHeight: column.implicitHeight + 2 * Theme.margin
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        ColumnLayout {
            id: column
            x: Theme.margin
            y: Theme.margin
            width: parent.width - 2 * Theme.margin
            spacing: Theme.gap

            Text {
                textFormat: Text.PlainText
                text: qsTr("Who is the token for?")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Senior citizens, divyang people and pregnant women or mothers with infants are served first.")
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            GridLayout {
                columns: screen.landscape ? 2 : 1
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Layout.fillWidth: true
                Layout.topMargin: 12
                Repeater {
                    model: Queue.priorities
                    Tile {
                        required property var modelData
                        objectName: "priority_" + modelData.key
                        text: modelData.label
                        subText: modelData.labelOther
                        iconName: modelData.key
                        enabled: !Session.busy
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.preferredHeight: screen.landscape ? 250 : 240
                        onClicked: Queue.choosePriority(modelData.key)
                    }
                }
            }
        }
    }
}
