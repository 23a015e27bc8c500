import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts

// Paying the fee. The application is already saved (its number is shown); the citizen pays by
// any UPI app — confirmed only when the bank tells the backend — or in cash at the counter.
// When UPI cannot be used the button says why instead of silently greying out.
Item {
    id: page
    objectName: "applyPaymentPage"
    property bool landscape: false

    Flickable {
        id: flick
        objectName: "applyFlick"
        anchors.fill: parent
        contentHeight: column.implicitHeight + 2 * 28
        clip: true
        boundsBehavior: Flickable.StopAtBounds

        ColumnLayout {
            id: column
            x: Theme.margin
            y: 28
            width: flick.width - 2 * Theme.margin
            spacing: 22

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: savedCol.implicitHeight + 32
                radius: Theme.radius
                color: Theme.greenLight
                border.color: Theme.green
                border.width: 2
                ColumnLayout {
                    id: savedCol
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 28; rightMargin: 28 }
                    spacing: 2
                    Text {
                        text: qsTr("Your application is saved. Its number is:")
                        color: Theme.green
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        objectName: "payApplicationNo"
                        text: apply.ack.applicationNo
                        color: Theme.text
                        font.family: "Noto Sans"
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        Layout.fillWidth: true
                        wrapMode: Text.WrapAnywhere
                    }
                }
            }

            RowLayout {
                Layout.fillWidth: true
                spacing: 20
                Text {
                    text: qsTr("Fee to pay")
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.weight: Font.Bold
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    objectName: "payAmount"
                    text: apply.feeTotal
                    color: Theme.blue
                    font.pixelSize: Theme.titleSize
                    font.weight: Font.Black
                }
            }

            // ---- choose
            ColumnLayout {
                visible: apply.payment.payState === "choose" || apply.payment.payState === "starting"
                Layout.fillWidth: true
                spacing: 16
                GridLayout {
                    columns: page.landscape ? 2 : 1
                    columnSpacing: Theme.gap
                    rowSpacing: Theme.gap
                    Layout.fillWidth: true
                    ColumnLayout {
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.alignment: Qt.AlignTop
                        spacing: 10
                        KioskButton {
                            objectName: "payUpiButton"
                            text: apply.payment.payState === "starting" ? qsTr("Preparing the QR code…")
                                                                 : qsTr("Pay by UPI")
                            subText: qsTr("Scan a QR code with any UPI app")
                            enabled: apply.payment.upiAvailable && apply.payment.payState === "choose"
                            Layout.fillWidth: true
                            Layout.preferredHeight: 170
                            onClicked: apply.payment.payUpi()
                        }
                        Text {
                            objectName: "upiReason"
                            visible: apply.payment.upiReason !== ""
                            text: apply.payment.upiReason
                            color: Theme.muted
                            font.pixelSize: Theme.smallSize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                    KioskButton {
                        objectName: "payCashButton"
                        kind: "secondary"
                        text: qsTr("Pay cash at the counter")
                        subText: qsTr("Show your slip at the counter and pay there")
                        enabled: apply.payment.payState === "choose"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.preferredHeight: 170
                        Layout.alignment: Qt.AlignTop
                    onClicked: apply.payment.payCash()
                    }
                }
            }

            // ---- UPI: QR and waiting for the bank
            GridLayout {
                visible: apply.payment.payState === "waiting"
                columns: page.landscape ? 2 : 1
                columnSpacing: 40
                rowSpacing: 20
                Layout.fillWidth: true
                Rectangle {
                    Layout.alignment: Qt.AlignHCenter
                    Layout.preferredWidth: page.landscape ? 440 : 560
                    Layout.preferredHeight: Layout.preferredWidth
                    color: "white"
                    radius: 12
                    border.color: Theme.border
                    border.width: 2
                    Image {
                        objectName: "upiQr"
                        anchors.fill: parent
                        anchors.margins: 16
                        source: apply.payment.upiQr
                        fillMode: Image.PreserveAspectFit
                        smooth: false
                        cache: false
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 18
                    Text {
                        text: qsTr("Open any UPI app on your phone and scan this code.")
                        color: Theme.text
                        font.pixelSize: Theme.largeSize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    RowLayout {
                        spacing: 20
                        Layout.fillWidth: true
                        BusyIndicator {
                            running: apply.payment.payState === "waiting"
                            Layout.preferredWidth: 72
                            Layout.preferredHeight: 72
                        }
                        Text {
                            objectName: "upiWaiting"
                            text: qsTr("Waiting for confirmation from the bank…")
                            color: Theme.blue
                            font.pixelSize: Theme.bodySize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                    KioskButton {
                        objectName: "payCashInstead"
                        kind: "secondary"
                        text: qsTr("Pay cash at the counter instead")
                        textSize: Theme.bodySize
                        Layout.fillWidth: true
                        onClicked: apply.payment.payCash()
                    }
                }
            }

            // ---- paid
            ColumnLayout {
                visible: apply.payment.payState === "paid"
                Layout.fillWidth: true
                spacing: 20
                RowLayout {
                    spacing: 24
                    Layout.fillWidth: true
                    Icon { name: "check"; color: Theme.green
                           Layout.preferredWidth: 96; Layout.preferredHeight: 96 }
                    ColumnLayout {
                        Layout.fillWidth: true
                        spacing: 4
                        Text {
                            objectName: "paidText"
                            text: qsTr("Payment received")
                            color: Theme.green
                            font.pixelSize: Theme.headingSize
                            font.weight: Font.Bold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Text {
                            objectName: "paidUtr"
                            text: qsTr("Bank reference (UTR): %1").arg(apply.payment.utr)
                            color: Theme.text
                            font.pixelSize: Theme.bodySize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }
                }
                KioskButton {
                    objectName: "payContinue"
                    text: qsTr("Continue")
                    textSize: Theme.headingSize
                    Layout.fillWidth: true
                    Layout.preferredHeight: 140
                    onClicked: apply.payment.continueAfterPayment()
                }
            }
        }
    }
}
