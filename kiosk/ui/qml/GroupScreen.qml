pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import Kiosk

// The service groups from the configuration, each with its queue letter (the letter is printed
// on the token, so showing it here teaches the citizen what "C-017" means).
Rectangle {
    id: screen
    objectName: "groupScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Get a token")
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
                text: qsTr("Which service do you need?")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            GridLayout {
                columns: screen.landscape ? 3 : 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Layout.fillWidth: true
                Repeater {
                    model: Queue.groups
                    Tile {
                        required property var modelData
                        objectName: "group_" + modelData.letter
                        text: modelData.name
                        subText: modelData.nameOther
                        badge: modelData.letter
                        iconName: modelData.icon
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.preferredHeight: screen.landscape ? 250 : 300
                        onClicked: Queue.chooseGroup(modelData.letter)
                    }
                }
            }
        }
    }
}
