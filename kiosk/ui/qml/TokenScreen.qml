import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// The token: number as large as the screen allows, then what the citizen needs to plan their
// wait, then the slip. A printer fault is said in both languages with a big reprint button,
// and the token stays valid on screen whatever the printer does.
Rectangle {
    id: screen
    objectName: "tokenScreen"
    color: Theme.page
    readonly property bool landscape: width > height

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Your token")
        onBackClicked: Session.goBack()
    }

    GridLayout {
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom
                  margins: Theme.margin }
        columns: screen.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap

        // ---- the number card
        Rectangle {
            Layout.fillWidth: true
            Layout.fillHeight: screen.landscape
            Layout.preferredWidth: 1
            Layout.preferredHeight: numberColumn.implicitHeight + 64
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.border
            border.width: 2

            ColumnLayout {
                id: numberColumn
                anchors.centerIn: parent
                width: parent.width - 64
                spacing: 8
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Your token number")
                    color: Theme.muted
                    font.pixelSize: Theme.largeSize
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "tokenNumber"
                    text: Queue.tokenNumber
                    color: Theme.blue
                    font.family: "Noto Sans"
                    font.pixelSize: screen.landscape ? 220 : 240
                    font.weight: Font.Black
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 96
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                    Layout.preferredHeight: font.pixelSize * 1.2
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "tokenGroup"
                    text: Queue.tokenGroupName
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.weight: Font.Bold
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    text: Queue.tokenGroupNameOther
                    color: Theme.muted
                    font.pixelSize: Theme.bodySize
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Rectangle {
                    objectName: "priorityBadge"
                    visible: Queue.tokenIsPriority
                    Layout.alignment: Qt.AlignHCenter
                    Layout.topMargin: 16
                    radius: height / 2
                    color: Theme.saffronLight
                    border.color: Theme.saffron
                    border.width: 3
                    implicitHeight: badgeRow.implicitHeight + 24
                    implicitWidth: Math.min(badgeRow.implicitWidth + 56, numberColumn.width)
                    RowLayout {
                        id: badgeRow
                        anchors.centerIn: parent
                        width: Math.min(implicitWidth, parent.width - 56)
                        spacing: 14
                        Icon {
                            name: Queue.tokenPriority
                            color: Theme.saffron
                            Layout.preferredWidth: 52
                            Layout.preferredHeight: 52
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: qsTr("Priority") + ": " + Queue.tokenPriorityLabel
                            color: "#7A3A00"
                            font.pixelSize: Theme.bodySize
                            font.weight: Font.DemiBold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1
            spacing: Theme.gap

            // ---- wait facts
            GridLayout {
                // one row in landscape, so the slip panel and Done fit in 1080 px
                columns: screen.landscape ? 3 : 2
                columnSpacing: Theme.gap
                rowSpacing: Theme.gap
                Layout.fillWidth: true
                InfoCell {
                    objectName: "peopleAhead"
                    label: qsTr("People ahead of you")
                    // TokenPosition: the centre's live figure while this token is on screen
                    value: TokenPosition.active ? TokenPosition.peopleAhead
                                                : String(Queue.tokenPeopleAhead)
                    valueSize: screen.landscape ? 64 : 80
                    Layout.fillWidth: true
                    Layout.fillHeight: screen.landscape
                    Layout.preferredWidth: 1
                }
                InfoCell {
                    objectName: "waitTime"
                    label: qsTr("Estimated wait")
                    value: TokenPosition.active ? TokenPosition.waitText
                                                : Queue.tokenWaitText
                    valueSize: screen.landscape ? Theme.largeSize : Theme.headingSize
                    Layout.fillWidth: true
                    Layout.fillHeight: screen.landscape
                    Layout.preferredWidth: 1
                }
                InfoCell {
                    objectName: "issuedAt"
                    label: qsTr("Issued at")
                    value: Queue.tokenIssuedText
                    valueSize: screen.landscape ? Theme.bodySize : Theme.largeSize
                    Layout.columnSpan: screen.landscape ? 1 : 2
                    Layout.preferredWidth: 1
                    Layout.fillHeight: screen.landscape
                    Layout.fillWidth: true
                }
            }

            // ---- why the estimate is not a figure, or "go to counter 3" once it is called
            Text {
                textFormat: Text.PlainText
                objectName: "positionNote"
                visible: TokenPosition.note !== ""
                text: TokenPosition.note
                color: TokenPosition.state === "called" ? Theme.green : Theme.text
                font.pixelSize: TokenPosition.state === "called" ? Theme.largeSize : Theme.bodySize
                font.weight: TokenPosition.state === "called" ? Font.Bold : Font.Normal
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }

            // ---- the slip
            Rectangle {
                objectName: "printPanel"
                Layout.fillWidth: true
                Layout.preferredHeight: printColumn.implicitHeight + 48
                radius: Theme.radius
                color: Queue.printState === "failed" ? Theme.dangerLight
                       : Queue.printState === "printed" ? Theme.greenLight : Theme.blueLight
                border.width: 3
                border.color: Queue.printState === "failed" ? Theme.danger
                              : Queue.printState === "printed" ? Theme.green : Theme.blue

                ColumnLayout {
                    id: printColumn
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 32; rightMargin: 32 }
                    spacing: 16

                    RowLayout {
                        visible: Queue.printState === "printing"
                        spacing: 24
                        Layout.fillWidth: true
                        BusyIndicator {
                            running: Queue.printState === "printing"
                            Layout.preferredWidth: 72
                            Layout.preferredHeight: 72
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "printingText"
                            text: qsTr("Printing your slip…")
                            color: Theme.blue
                            font.pixelSize: Theme.largeSize
                            font.weight: Font.DemiBold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }

                    RowLayout {
                        visible: Queue.printState === "printed"
                        spacing: 24
                        Layout.fillWidth: true
                        Icon { name: "check"; color: Theme.green
                               Layout.preferredWidth: 80; Layout.preferredHeight: 80 }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "printedText"
                            text: qsTr("Please take your slip")
                            color: Theme.green
                            font.pixelSize: Theme.headingSize
                            font.weight: Font.Bold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }

                    RowLayout {
                        visible: Queue.printState === "failed"
                        spacing: 24
                        Layout.fillWidth: true
                        Icon { name: "warning"; color: Theme.danger
                               Layout.preferredWidth: 80; Layout.preferredHeight: 80
                               Layout.alignment: Qt.AlignTop }
                        ColumnLayout {
                            spacing: 8
                            Layout.fillWidth: true
                            Text {
                                textFormat: Text.PlainText
                                objectName: "printError"
                                text: Queue.printError
                                color: Theme.danger
                                font.pixelSize: Theme.bodySize
                                font.weight: Font.Bold
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                            Text {
                                textFormat: Text.PlainText
                                objectName: "printErrorOther"
                                text: Queue.printErrorOther
                                color: Theme.danger
                                font.pixelSize: Theme.bodySize
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                        }
                    }
                    KioskButton {
                        objectName: "reprintButton"
                        visible: Queue.printState === "failed"
                        kind: "danger"
                        iconName: "printer"
                        text: Session.translate("Print again", "hi")
                        subText: "Print again"
                        Layout.fillWidth: true
                        Layout.preferredHeight: screen.landscape ? 120 : 140
                        onClicked: Queue.reprint()
                    }
                }
            }

            Item { Layout.fillHeight: true; Layout.fillWidth: true }

            KioskButton {
                objectName: "doneButton"
                text: qsTr("Done")
                iconName: "check"
                textSize: Theme.headingSize
                subText: Queue.printState === "printed" && Queue.tokenSecondsLeft > 0
                         ? qsTr("Returning to the start in %1 seconds").arg(Queue.tokenSecondsLeft)
                         : ""
                Layout.fillWidth: true
                Layout.preferredHeight: screen.landscape ? 130 : 150
                onClicked: Queue.finish()
            }
        }
    }
}
