import QtQuick
import QtQuick.Layouts

// Technician PIN pad: big digits, masked dots, a bilingual message on a wrong PIN. The PIN
// itself lives only in the view-model (QML sees its length); after five wrong PINs the pad is
// locked for a minute. Landscape puts the keypad beside the dots instead of under them.
Rectangle {
    id: screen
    objectName: "techPinScreen"
    color: Theme.page
    readonly property bool landscape: width > height
    readonly property bool inputEnabled: !diagnostics.gate.locked && !diagnostics.gate.checking

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Technician mode")
        onBackClicked: session.goBack()
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
                    model: Math.max(4, diagnostics.gate.pinLength)
                    Rectangle {
                        width: 44; height: 44; radius: 22
                        anchors.verticalCenter: parent.verticalCenter
                        color: index < diagnostics.gate.pinLength ? Theme.blue : "transparent"
                        border.color: Theme.blue
                        border.width: 4
                    }
                }
            }
            Rectangle {
                objectName: "pinMessageBox"
                opacity: diagnostics.gate.pinMessage !== "" ? 1 : 0
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
                        objectName: "pinMessage"
                        text: diagnostics.gate.pinMessage
                        color: Theme.danger
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                    Text {
                        objectName: "pinMessageOther"
                        text: diagnostics.gate.pinMessageOther
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        horizontalAlignment: Text.AlignHCenter
                        Layout.fillWidth: true
                    }
                }
            }
            Text {
                opacity: diagnostics.gate.checking ? 1 : 0
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
                enabled: screen.inputEnabled && diagnostics.gate.pinLength > 0
                Layout.fillWidth: true
                Layout.topMargin: 24
                onClicked: diagnostics.gate.pinSubmit()
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
                        objectName: modelData === "clear" ? "pinClear"
                                  : modelData === "back" ? "pinBackspace" : "pinKey_" + modelData
                        kind: (modelData === "clear" || modelData === "back") ? "secondary"
                                                                              : "primary"
                        text: modelData === "clear" ? qsTr("Clear")
                            : modelData === "back" ? "⌫" : modelData
                        textSize: (modelData === "clear") ? Theme.bodySize : Theme.headingSize
                        enabled: screen.inputEnabled
                        Layout.preferredWidth: 220
                        Layout.preferredHeight: screen.landscape ? 132 : 150
                        onClicked: {
                            if (modelData === "clear") diagnostics.gate.pinClear()
                            else if (modelData === "back") diagnostics.gate.pinBackspace()
                            else diagnostics.gate.pinDigit(modelData)
                        }
                    }
                }
            }
            KioskButton {
                objectName: "pinOk"
                visible: !screen.landscape
                text: qsTr("Open diagnostics")
                enabled: screen.inputEnabled && diagnostics.gate.pinLength > 0
                Layout.preferredWidth: 3 * 220 + 2 * 24
                Layout.alignment: Qt.AlignHCenter
                Layout.topMargin: 12
                onClicked: diagnostics.gate.pinSubmit()
            }
        }
    }
}
