pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import Kiosk

// Technician PIN pad: big digits, masked dots, a bilingual message on a wrong PIN. The PIN
// itself lives only in the view-model (QML sees its length); after five wrong PINs the pad is
// locked for a minute. Landscape puts the keypad beside the dots instead of under them.
Rectangle {
    id: screen
    objectName: "techPinScreen"
    color: Theme.page
    readonly property bool landscape: width > height
    readonly property bool inputEnabled: !Technician.locked && !Technician.checking

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Technician mode")
        onBackClicked: Session.goBack()
    }

    Item {
        id: area
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom }
    }

    GridLayout {
        // Portrait: sized to its content and centred below the bar. Nothing in it changes
        // height (the message and "Checking…" keep their place), so a key never moves
        // under a finger when a message appears.
        anchors { left: area.left; right: area.right; margins: Theme.margin }
        y: screen.landscape ? area.y + Theme.margin
                            : area.y + Math.max(Theme.margin, (area.height - implicitHeight) / 2)
        height: screen.landscape ? area.height - 2 * Theme.margin : implicitHeight
        columns: screen.landscape ? 2 : 1
        columnSpacing: Theme.margin
        rowSpacing: Theme.gap

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop
            spacing: Theme.gap

            Text {
                textFormat: Text.PlainText
                text: qsTr("Enter the technician PIN")
                color: Theme.text
                font.pixelSize: Theme.headingSize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
            }
            Row {   // masked dots: one per digit typed, at least four places
                objectName: "pinDots"
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredHeight: 56
                spacing: 22
                Repeater {
                    model: Math.max(4, Technician.pinLength)
                    Rectangle {
                        id: pinDot
                        required property int index
                        width: 44; height: 44; radius: 22
                        anchors.verticalCenter: parent.verticalCenter
                        color: pinDot.index < Technician.pinLength ? Theme.blue : "transparent"
                        border.color: Theme.blue
                        border.width: 4
                    }
                }
            }
            Rectangle {
                objectName: "pinMessageBox"
                opacity: Technician.pinMessage !== "" ? 1 : 0
                Layout.fillWidth: true
                Layout.preferredHeight: Math.max(msgCol.implicitHeight + 32, 120)
                radius: Theme.radius
                color: Theme.dangerLight
                border.color: Theme.danger
                border.width: 3
                ColumnLayout {
                    id: msgCol
                    anchors.centerIn: parent
                    width: parent.width - 48
                    spacing: 4
                    Text {
                        textFormat: Text.PlainText
                        objectName: "pinMessage"
                        text: Technician.pinMessage
                        color: Theme.danger
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "pinMessageOther"
                        text: Technician.pinMessageOther
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                }
            }
            Text {
                textFormat: Text.PlainText
                opacity: Technician.checking ? 1 : 0
                text: qsTr("Checking…")
                color: Theme.muted
                font.pixelSize: Theme.bodySize
                horizontalAlignment: Text.AlignHCenter
                Layout.fillWidth: true
            }
            KioskButton {
                objectName: "pinOk"
                visible: screen.landscape
                text: qsTr("Open diagnostics")
                enabled: screen.inputEnabled && Technician.pinLength > 0
                Layout.fillWidth: true
                Layout.topMargin: 24
                onClicked: Technician.pinSubmit()
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignTop | Qt.AlignHCenter
            spacing: Theme.gap
            GridLayout {
                Layout.alignment: Qt.AlignHCenter
                columns: 3
                columnSpacing: 24
                rowSpacing: 20
                Repeater {
                    model: ["1", "2", "3", "4", "5", "6", "7", "8", "9", "clear", "0", "back"]
                    KioskButton {
                        id: pinKey
                        required property var modelData
                        objectName: pinKey.modelData === "clear" ? "pinClear"
                                  : pinKey.modelData === "back" ? "pinBackspace" : "pinKey_" + pinKey.modelData
                        kind: (pinKey.modelData === "clear" || pinKey.modelData === "back") ? "secondary"
                                                                              : "primary"
                        text: pinKey.modelData === "clear" ? qsTr("Clear")
                            : pinKey.modelData === "back" ? "⌫" : pinKey.modelData
                        textSize: (pinKey.modelData === "clear") ? Theme.bodySize : Theme.headingSize
                        enabled: screen.inputEnabled
                        Layout.preferredWidth: 220
                        Layout.preferredHeight: screen.landscape ? 132 : 150
                        onClicked: {
                            if (pinKey.modelData === "clear") Technician.pinClear()
                            else if (pinKey.modelData === "back") Technician.pinBackspace()
                            else Technician.pinDigit(pinKey.modelData)
                        }
                    }
                }
            }
            KioskButton {
                objectName: "pinOk"
                visible: !screen.landscape
                text: qsTr("Open diagnostics")
                enabled: screen.inputEnabled && Technician.pinLength > 0
                Layout.preferredWidth: 3 * 220 + 2 * 24
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: 12
                onClicked: Technician.pinSubmit()
            }
        }
    }
}
