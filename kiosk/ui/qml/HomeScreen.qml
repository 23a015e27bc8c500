import QtQuick
import QtQuick.Layouts
import Kiosk

// What can I do here? A token for the queue, or the services the kiosk handles itself:
// applying for a certificate, an application's status, checking a certificate.
Rectangle {
    id: screen
    objectName: "homeScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("What would you like to do?")
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

            Tile {
                objectName: "tileToken"
                text: qsTr("Get a token")
                subText: Session.translate("Get a token", Session.language === "hi" ? "en" : "hi")
                iconName: "token"
                Layout.fillWidth: true
                Layout.preferredHeight: screen.landscape ? 240 : 300
                onClicked: Session.openService("token")
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("More services")
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                font.weight: Font.DemiBold
                Layout.topMargin: 24
            }
            GridLayout {
                columns: screen.landscape ? 3 : 1
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Layout.fillWidth: true
                Repeater {
                    model: Session.serviceTiles
                    Tile {
                        required property var modelData
                        objectName: "tile_" + modelData.key
                        text: modelData.label
                        subText: modelData.labelOther
                        iconName: modelData.key === "apply" ? "certificate"
                                  : modelData.key === "status" ? "status" : "verify"
                        Layout.fillWidth: true
                        // larger text wraps to two lines in a third of a landscape screen
                        Layout.preferredHeight: Theme.easy ? 320 : 240
                        onClicked: Session.openService(modelData.key)
                    }
                }
            }
        }
    }
}
