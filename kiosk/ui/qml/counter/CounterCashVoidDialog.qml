import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Cancel or refund the receipt on screen: a supervisor at this counter gives their id (or staff
// card number) and PIN, and a reason. The centre checks the PIN (wrong ones count towards the
// lock-out) and never accepts the operator's own approval. Esc closes without cancelling.
Popup {
    id: dialog
    objectName: "cashVoidPopup"
    modal: true
    focus: true
    width: Math.round(560 * CounterStyle.scale)
    padding: 24
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { radius: CounterStyle.radius; color: Theme.card; border.color: Theme.border }
    onOpened: { whoField.text = ""; pinField.text = ""; reasonField.text = ""; whoField.forceActiveFocus() }

    function submit() {
        if (whoField.text === "" || pinField.text === "" || reasonField.text === "")
            return
        dialog.close()
        CounterCash.voidReceipt(whoField.text, pinField.text, reasonField.text, cardBox.checked,
                                refundBox.checked)
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: CounterStyle.gap
        Text {
            textFormat: Text.PlainText
            text: qsTr("Cancel receipt %1").arg(CounterCash.receiptNo)
            color: Theme.text
            font.pixelSize: CounterStyle.heading
            font.weight: Font.Bold
            wrapMode: Text.Wrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("A supervisor must approve this at this counter.")
            color: Theme.muted
            font.pixelSize: CounterStyle.body
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        CheckBox {
            id: cardBox
            objectName: "cashVoidByCard"
            text: qsTr("Staff card number instead of supervisor id")
            font.pixelSize: CounterStyle.body
        }
        TextField {
            id: whoField
            objectName: "cashVoidSupervisorField"
            placeholderText: cardBox.checked ? qsTr("Card number") : qsTr("Supervisor id")
            font.pixelSize: CounterStyle.body
            Layout.fillWidth: true
            Layout.preferredHeight: CounterStyle.control
            KeyNavigation.tab: pinField
        }
        TextField {
            id: pinField
            objectName: "cashVoidPinField"
            placeholderText: qsTr("Supervisor's PIN")
            echoMode: TextInput.Password
            inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData
            font.pixelSize: CounterStyle.body
            Layout.fillWidth: true
            Layout.preferredHeight: CounterStyle.control
            KeyNavigation.tab: reasonField
        }
        TextField {
            id: reasonField
            objectName: "cashVoidReasonField"
            placeholderText: qsTr("Reason")
            maximumLength: 200
            font.pixelSize: CounterStyle.body
            Layout.fillWidth: true
            Layout.preferredHeight: CounterStyle.control
            onAccepted: dialog.submit()
        }
        CheckBox {
            id: refundBox
            objectName: "cashVoidRefund"
            text: qsTr("The cash was handed back (refund)")
            font.pixelSize: CounterStyle.body
        }
        RowLayout {
            spacing: CounterStyle.gap
            Layout.alignment: Qt.AlignRight
            CounterButton {
                objectName: "cashVoidCancel"
                kind: "secondary"
                text: qsTr("Close")
                keyText: "Esc"
                onClicked: dialog.close()
            }
            CounterButton {
                objectName: "cashVoidConfirm"
                kind: "danger"
                text: qsTr("Cancel receipt")
                keyText: "Enter"
                enabled: whoField.text !== "" && pinField.text !== "" && reasonField.text !== ""
                onClicked: dialog.submit()
            }
        }
    }
}
