import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// The acknowledgement: the application number as large as fits, the guaranteed date, the
// payment, what to do next, and the slip (printing / printed / failed with a reprint).
Item {
    id: page
    objectName: "applyAckPage"
    property bool landscape: false

    GridLayout {
        anchors.fill: parent
        anchors.margins: Theme.margin
        columns: page.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: Theme.gap

        Rectangle {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.fillHeight: page.landscape
            Layout.preferredHeight: numberCol.implicitHeight + 56
            radius: Theme.radius
            color: Theme.card
            border.color: Theme.border
            border.width: 2
            ColumnLayout {
                id: numberCol
                anchors.centerIn: parent
                width: parent.width - 56
                spacing: 10
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Your application number")
                    color: Theme.muted
                    font.pixelSize: Theme.bodySize
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ackNumber"
                    text: Acknowledgement.applicationNo
                    color: Theme.blue
                    font.family: "Noto Sans"
                    font.pixelSize: 64
                    font.weight: Font.Black
                    fontSizeMode: Text.HorizontalFit
                    minimumPixelSize: 36
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                    Layout.preferredHeight: 84
                }
                Text {
                    textFormat: Text.PlainText
                    text: Apply.serviceName
                    color: Theme.text
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.Bold
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Rectangle { Layout.fillWidth: true; implicitHeight: 2; color: Theme.border; Layout.topMargin: 6 }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Guaranteed delivery by")
                    color: Theme.muted
                    font.pixelSize: Theme.smallSize
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ackDueDate"
                    text: Apply.dueDateText
                    color: Theme.green
                    font.pixelSize: Theme.headingSize
                    font.weight: Font.Bold
                    horizontalAlignment: Text.AlignHCenter
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "ackPayment"
                    text: Acknowledgement.paymentText
                    color: Acknowledgement.paid ? Theme.green : "#7A3A00"
                    font.pixelSize: Theme.bodySize
                    font.weight: Font.DemiBold
                    horizontalAlignment: Text.AlignHCenter
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
        }

        ColumnLayout {
            Layout.fillWidth: true
            Layout.preferredWidth: 1
            Layout.fillHeight: true
            spacing: Theme.gap

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: nextCol.implicitHeight + 40
                radius: Theme.radius
                color: Theme.blueLight
                ColumnLayout {
                    id: nextCol
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 28; rightMargin: 28 }
                    spacing: 8
                    Text {
                        textFormat: Text.PlainText
                        text: qsTr("What happens next")
                        color: Theme.blue
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: "• " + qsTr("Keep the slip. Show it at the counter if you are asked.")
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "ackMissingDocs"
                        visible: Apply.missingDocuments.length > 0
                        text: "• " + qsTr("Bring these documents to the counter: %1").arg(Apply.missingDocuments.join(", "))
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: "• " + qsTr("To see the status, scan the QR code on the slip at this kiosk.")
                        color: Theme.text
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                }
            }

            Rectangle {
                objectName: "ackPrintPanel"
                Layout.fillWidth: true
                Layout.preferredHeight: printCol.implicitHeight + 40
                radius: Theme.radius
                color: Acknowledgement.printState === "failed" ? Theme.dangerLight
                       : Acknowledgement.printState === "printed" ? Theme.greenLight : Theme.blueLight
                border.width: 3
                border.color: Acknowledgement.printState === "failed" ? Theme.danger
                              : Acknowledgement.printState === "printed" ? Theme.green : Theme.blue
                ColumnLayout {
                    id: printCol
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 28; rightMargin: 28 }
                    spacing: 12
                    RowLayout {
                        visible: Acknowledgement.printState === "printing"
                        spacing: 20
                        Layout.fillWidth: true
                        BusyIndicator {
                            running: Acknowledgement.printState === "printing"
                            Layout.preferredWidth: 64
                            Layout.preferredHeight: 64
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "ackPrinting"
                            text: qsTr("Printing your acknowledgement…")
                            color: Theme.blue
                            font.pixelSize: Theme.bodySize
                            font.weight: Font.DemiBold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                    RowLayout {
                        visible: Acknowledgement.printState === "printed"
                        spacing: 20
                        Layout.fillWidth: true
                        Icon { name: "check"; color: Theme.green
                               Layout.preferredWidth: 64; Layout.preferredHeight: 64 }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "ackPrinted"
                            text: qsTr("Please take your acknowledgement slip")
                            color: Theme.green
                            font.pixelSize: Theme.largeSize
                            font.weight: Font.Bold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                    RowLayout {
                        visible: Acknowledgement.printState === "failed"
                        spacing: 20
                        Layout.fillWidth: true
                        Icon { name: "warning"; color: Theme.danger
                               Layout.preferredWidth: 64; Layout.preferredHeight: 64
                               Layout.alignment: Qt.AlignTop }
                        ColumnLayout {
                            spacing: 6
                            Layout.fillWidth: true
                            Text {
                                textFormat: Text.PlainText
                                objectName: "ackPrintError"
                                text: Acknowledgement.printError
                                color: Theme.danger
                                font.pixelSize: Theme.bodySize
                                font.weight: Font.Bold
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                            Text {
                                textFormat: Text.PlainText
                                objectName: "ackPrintErrorOther"
                                text: Acknowledgement.printErrorOther
                                color: Theme.danger
                                font.pixelSize: Theme.smallSize
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                        }
                    }
                    KioskButton {
                        objectName: "ackReprint"
                        visible: Acknowledgement.printState === "failed"
                        kind: "danger"
                        iconName: "printer"
                        text: Session.translate("Print again", "hi")
                        subText: "Print again"
                        textSize: Theme.bodySize
                        Layout.fillWidth: true
                        onClicked: Acknowledgement.reprint()
                    }
                }
            }

            Item { Layout.fillHeight: true; Layout.fillWidth: true }

            KioskButton {
                objectName: "ackDone"
                text: qsTr("Done")
                iconName: "check"
                textSize: Theme.headingSize
                Layout.fillWidth: true
                Layout.preferredHeight: page.landscape ? 120 : 140
                onClicked: Acknowledgement.finish()
            }
        }
    }
}
