import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Cash at this desk: the application number (typed or scanned), its fee, the note received and
// the change to return; Take cash (Ctrl+M) records it at the centre and prints the receipt;
// Reprint (Ctrl+R); Cancel receipt opens the supervisor's dialog. Cash in hand is this
// session's, from the centre.
Rectangle {
    id: panel
    objectName: "cashPanel"
    //: true while a field of the panel has the keyboard (Enter must not call the next token)
    readonly property bool typing: appField.activeFocus || receivedField.activeFocus
                                   || amountField.activeFocus || voidDialog.visible
    radius: CounterStyle.radius
    color: Theme.card
    border.color: Theme.border
    implicitHeight: col.implicitHeight + 24

    ColumnLayout {
        id: col
        anchors.fill: parent
        anchors.margins: 12
        spacing: 6
        RowLayout {
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: qsTr("Cash")
                color: Theme.text
                font.pixelSize: CounterStyle.body
                font.weight: Font.Bold
            }
            Item { Layout.fillWidth: true }
            Text {
                textFormat: Text.PlainText
                objectName: "cashInHand"
                text: qsTr("Cash in hand: %1").arg(CounterCash.cashInHand)
                color: Theme.text
                font.pixelSize: CounterStyle.body
                font.weight: Font.DemiBold
                font.family: "Noto Sans"
            }
        }
        RowLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            TextField {
                id: appField
                objectName: "cashApplicationField"
                placeholderText: qsTr("Application number")
                text: CounterCash.applicationNo
                font.pixelSize: CounterStyle.body
                Layout.fillWidth: true
                Layout.preferredHeight: CounterStyle.control
                KeyNavigation.tab: receivedField
                onAccepted: CounterCash.lookUp(text)
            }
            Text {
                textFormat: Text.PlainText
                objectName: "cashFee"
                visible: CounterCash.hasDue
                text: qsTr("Fee %1").arg(CounterCash.fee)
                color: Theme.text
                font.pixelSize: CounterStyle.large
                font.weight: Font.Bold
                font.family: "Noto Sans"
            }
        }
        RowLayout {
            spacing: CounterStyle.gap
            visible: CounterCash.hasDue
            Layout.fillWidth: true
            TextField {
                id: amountField
                objectName: "cashAmountField"
                visible: CounterCash.amountEditable
                placeholderText: qsTr("Amount ₹")
                font.pixelSize: CounterStyle.body
                Layout.preferredWidth: Math.round(110 * CounterStyle.scale)
                Layout.preferredHeight: CounterStyle.control
                onTextEdited: CounterCash.setAmount(text)
            }
            TextField {
                id: receivedField
                objectName: "cashReceivedField"
                placeholderText: qsTr("Received ₹")
                text: CounterCash.received
                font.pixelSize: CounterStyle.body
                Layout.preferredWidth: Math.round(130 * CounterStyle.scale)
                Layout.preferredHeight: CounterStyle.control
                onTextEdited: CounterCash.setReceived(text)
                onAccepted: CounterCash.takeCash()
            }
            Text {
                textFormat: Text.PlainText
                objectName: "cashChange"
                visible: CounterCash.change !== ""
                text: qsTr("Change %1").arg(CounterCash.change)
                color: Theme.green
                font.pixelSize: CounterStyle.large
                font.weight: Font.Bold
                font.family: "Noto Sans"
                Layout.fillWidth: true
            }
            Item { visible: CounterCash.change === ""; Layout.fillWidth: true }
            CounterButton {
                objectName: "takeCashButton"
                text: qsTr("Take cash")
                keyText: "Ctrl+M"
                kind: "green"
                enabled: CounterCash.canTake
                onClicked: CounterCash.takeCash()
            }
        }
        RowLayout {
            spacing: CounterStyle.gap
            visible: CounterCash.receiptNo !== ""
            Layout.fillWidth: true
            ColumnLayout {
                spacing: 0
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    objectName: "cashReceiptNo"
                    text: CounterCash.receiptNo + "  " + CounterCash.receiptAmount
                    color: CounterCash.receiptStatus === "paid" ? Theme.text : Theme.muted
                    font.pixelSize: CounterStyle.small
                    font.strikeout: CounterCash.receiptStatus !== "paid"
                    elide: Text.ElideMiddle
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "cashPrintState"
                    text: CounterCash.printState === "printing" ? qsTr("Printing the receipt…")
                        : CounterCash.printState === "printed" ? qsTr("Receipt printed.")
                        : CounterCash.printState === "failed" ? CounterCash.printError : ""
                    visible: text !== ""
                    color: CounterCash.printState === "failed" ? Theme.danger : Theme.muted
                    font.pixelSize: CounterStyle.small
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "cashPrintErrorOther"
                    visible: CounterCash.printState === "failed" && text !== ""
                    text: CounterCash.printErrorOther
                    color: Theme.danger
                    font.pixelSize: CounterStyle.small
                    wrapMode: Text.WordWrap
                    Layout.fillWidth: true
                }
            }
            CounterButton {
                objectName: "reprintReceiptButton"
                kind: "secondary"
                text: qsTr("Reprint")
                keyText: "Ctrl+R"
                enabled: !CounterCash.busy && CounterCash.printState !== "printing"
                onClicked: CounterCash.reprint()
            }
            CounterButton {
                objectName: "voidReceiptButton"
                kind: "danger"
                text: qsTr("Cancel receipt")
                enabled: !CounterCash.busy && CounterCash.receiptStatus === "paid"
                onClicked: voidDialog.open()
            }
        }
        CounterMessage {
            baseName: "cashMessage"
            text: CounterCash.message
            otherText: CounterCash.messageOther
            kind: CounterCash.messageKind
            Layout.fillWidth: true
        }
    }

    CounterCashVoidDialog {
        id: voidDialog
        parent: Overlay.overlay
        anchors.centerIn: parent
    }

    Shortcut {
        sequence: "Ctrl+M"
        enabled: CounterCash.canTake && !voidDialog.visible
        onActivated: CounterCash.takeCash()
    }
    Shortcut {
        sequence: "Ctrl+R"
        enabled: CounterCash.receiptNo !== "" && !CounterCash.busy && !voidDialog.visible
        onActivated: CounterCash.reprint()
    }
}
