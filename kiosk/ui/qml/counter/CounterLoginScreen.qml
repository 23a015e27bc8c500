import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Operator log-in: staff card or finger says who, the PIN proves it; or operator ID + PIN.
// The test buttons feed the simulated reader and module, and exist only while simulated.
Item {
    id: screen
    objectName: "counterLoginScreen"

    function submit() { CounterLogin.submit(idField.text, pinField.text); pinField.text = "" }

    Rectangle {
        anchors.centerIn: parent
        width: Math.min(parent.width - 2 * CounterStyle.margin, Math.round(620 * CounterStyle.scale))
        height: Math.min(parent.height - 2 * CounterStyle.margin, form.implicitHeight + 48)
        radius: CounterStyle.radius
        color: Theme.card
        border.color: Theme.border

        ColumnLayout {
            id: form
            anchors.fill: parent
            anchors.margins: 24
            spacing: CounterStyle.gap
            Text {
                textFormat: Text.PlainText
                text: qsTr("Operator log-in")
                color: Theme.text
                font.pixelSize: CounterStyle.heading
                font.weight: Font.Bold
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Present your staff card or place your finger on the scanner, then type your PIN. Or type your operator ID and PIN.")
                color: Theme.muted
                font.pixelSize: CounterStyle.body
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            RowLayout {
                spacing: CounterStyle.gap
                Layout.fillWidth: true
                CounterButton {
                    objectName: "scanFingerButton"
                    kind: "secondary"
                    text: qsTr("Scan finger")
                    keyText: "F8"
                    enabled: !CounterLogin.busy
                    Layout.fillWidth: true
                    onClicked: CounterLogin.scanFinger()
                }
                CounterButton {
                    objectName: "testCardButton"
                    visible: CounterShell.cardSimulated
                    kind: "saffron"
                    text: qsTr("Present a test card")
                    enabled: !CounterLogin.busy
                    Layout.fillWidth: true
                    onClicked: CounterLogin.presentTestCard()
                }
                CounterButton {
                    objectName: "testFingerButton"
                    visible: CounterShell.fingerSimulated
                    kind: "saffron"
                    text: qsTr("Place a test finger")
                    enabled: !CounterLogin.busy
                    Layout.fillWidth: true
                    onClicked: CounterLogin.placeTestFinger()
                }
            }
            Text {
                textFormat: Text.PlainText
                visible: CounterShell.cardSimulated || CounterShell.fingerSimulated
                text: qsTr("The card reader and fingerprint scanner are simulated on this computer.")
                color: Theme.saffron
                font.pixelSize: CounterStyle.small
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Operator ID")
                color: Theme.text
                font.pixelSize: CounterStyle.body
                font.weight: Font.DemiBold
            }
            RowLayout {
                spacing: CounterStyle.gap
                Layout.fillWidth: true
                TextField {
                    id: idField
                    objectName: "operatorIdField"
                    visible: CounterLogin.credential === "none"
                    placeholderText: qsTr("e.g. op1")
                    font.pixelSize: CounterStyle.large
                    Layout.fillWidth: true
                    Layout.preferredHeight: CounterStyle.control
                    focus: true
                    KeyNavigation.tab: pinField
                    onAccepted: pinField.forceActiveFocus()
                }
                Rectangle {
                    objectName: "credentialChip"
                    visible: CounterLogin.credential !== "none"
                    radius: CounterStyle.radius
                    color: Theme.greenLight
                    border.color: Theme.green
                    Layout.fillWidth: true
                    Layout.preferredHeight: CounterStyle.control
                    Text {
                        textFormat: Text.PlainText
                        objectName: "credentialText"
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.left: parent.left
                        anchors.leftMargin: 12
                        text: (CounterLogin.credential === "card" ? qsTr("Staff card") : qsTr("Fingerprint"))
                              + "  " + CounterLogin.credentialText
                        color: Theme.green
                        font.pixelSize: CounterStyle.large
                        font.weight: Font.DemiBold
                    }
                }
                CounterButton {
                    objectName: "clearCredentialButton"
                    visible: CounterLogin.credential !== "none"
                    kind: "secondary"
                    text: qsTr("Type an ID instead")
                    onClicked: CounterLogin.clearCredential()
                }
            }
            Text {
                textFormat: Text.PlainText
                text: qsTr("PIN")
                color: Theme.text
                font.pixelSize: CounterStyle.body
                font.weight: Font.DemiBold
            }
            TextField {
                id: pinField
                objectName: "pinField"
                echoMode: TextInput.Password
                inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData
                font.pixelSize: CounterStyle.large
                Layout.fillWidth: true
                Layout.preferredHeight: CounterStyle.control
                onAccepted: screen.submit()
            }
            CounterButton {
                objectName: "loginButton"
                text: CounterLogin.busy ? qsTr("Checking…") : qsTr("Log in")
                keyText: "Enter"
                enabled: !CounterLogin.busy
                textSize: CounterStyle.large
                Layout.fillWidth: true
                Layout.preferredHeight: Math.round(52 * CounterStyle.scale)
                onClicked: screen.submit()
            }
            CounterMessage {
                baseName: "loginMessage"
                text: CounterLogin.message
                otherText: CounterLogin.messageOther
                kind: CounterLogin.messageKind
                Layout.fillWidth: true
            }
            Item { Layout.fillHeight: true }
        }
    }

    Connections {
        target: CounterLogin
        function onChanged() {
            if (CounterLogin.credential !== "none") pinField.forceActiveFocus()
        }
    }
    Shortcut {
        sequence: "F8"
        onActivated: CounterLogin.scanFinger()
    }
}
