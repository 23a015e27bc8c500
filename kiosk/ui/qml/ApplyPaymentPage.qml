import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

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
        anchors { left: parent.left; right: parent.right; top: parent.top; bottom: nav.top }
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
                        textFormat: Text.PlainText
                        text: qsTr("Your application is saved. Its number is:")
                        color: Theme.green
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "payApplicationNo"
                        text: Acknowledgement.applicationNo
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
                    textFormat: Text.PlainText
                    text: qsTr("Fee to pay")
                    color: Theme.text
                    font.pixelSize: Theme.headingSize
                    font.weight: Font.Bold
                    Layout.fillWidth: true
                    wrapMode: Text.WordWrap
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "payAmount"
                    text: Apply.feeTotal
                    color: Theme.blue
                    font.pixelSize: Theme.titleSize
                    font.weight: Font.Black
                }
            }

            // ---- choose
            ColumnLayout {
                visible: Payment.payState === "choose" || Payment.payState === "starting"
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
                            text: Payment.payState === "starting" ? qsTr("Preparing the QR code…")
                                                                 : qsTr("Pay by UPI")
                            subText: qsTr("Scan a QR code with any UPI app")
                            enabled: Payment.upiAvailable && Payment.payState === "choose"
                            Layout.fillWidth: true
                            Layout.preferredHeight: 170
                            onClicked: Payment.payUpi()
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "upiReason"
                            visible: Payment.upiReason !== ""
                            text: Payment.upiReason
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
                        enabled: Payment.payState === "choose"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 1
                        Layout.preferredHeight: 170
                        Layout.alignment: Qt.AlignTop
                    onClicked: Payment.payCash()
                    }
                }
            }

            // ---- UPI: QR and waiting for the bank
            GridLayout {
                visible: Payment.payState === "waiting"
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
                        source: Payment.upiQr
                        fillMode: Image.PreserveAspectFit
                        smooth: false
                        cache: false
                    }
                }
                ColumnLayout {
                    Layout.fillWidth: true
                    spacing: 18
                    Text {
                        textFormat: Text.PlainText
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
                            running: Payment.payState === "waiting"
                            Layout.preferredWidth: 72
                            Layout.preferredHeight: 72
                        }
                        Text {
                            textFormat: Text.PlainText
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
                        onClicked: Payment.payCash()
                    }
                }
            }

            // ---- paid
            ColumnLayout {
                visible: Payment.payState === "paid"
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
                            textFormat: Text.PlainText
                            objectName: "paidText"
                            text: qsTr("Payment received")
                            color: Theme.green
                            font.pixelSize: Theme.headingSize
                            font.weight: Font.Bold
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "paidUtr"
                            text: qsTr("Bank reference (UTR): %1").arg(Payment.utr)
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
                    onClicked: Payment.continueAfterPayment()
                }
            }
        }
    }

    // Back shows the saved application's review (read-only); not while a UPI payment is under
    // way, so a QR being paid never disappears.
    ApplyNavBar {
        id: nav
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom }
        nextVisible: false
        backEnabled: Payment.payState === "choose"
        onBackClicked: Apply.back()
    }
}
