import QtQuick
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Which counter, who is logged in, whether the centre service and the state backend are
// reachable, the language switch and log-out.
Rectangle {
    id: bar
    objectName: "counterTopBar"
    color: Theme.blue
    implicitHeight: Math.round(60 * CounterStyle.scale)

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: CounterStyle.margin
        anchors.rightMargin: CounterStyle.margin
        spacing: CounterStyle.gap
        Text {
            textFormat: Text.PlainText
            objectName: "counterTitle"
            text: qsTr("Counter %1").arg(CounterShell.counter)
            color: "white"
            font.pixelSize: CounterStyle.large
            font.weight: Font.Bold
        }
        Text {
            textFormat: Text.PlainText
            objectName: "operatorLabel"
            visible: CounterLogin.loggedIn
            text: CounterLogin.operatorName + " (" + CounterLogin.operatorId + ")"
            color: "white"
            font.pixelSize: CounterStyle.body
            elide: Text.ElideRight
            Layout.maximumWidth: Math.round(280 * CounterStyle.scale)
        }
        Item { Layout.fillWidth: true }
        Rectangle {
            // Demo mode: payments confirm themselves; say so on the operator's screen too.
            objectName: "counterDemoBadge"
            visible: CounterShell.demoBadge !== ""
            radius: 8
            color: "#B3261E"
            implicitHeight: Math.round(32 * CounterStyle.scale)
            implicitWidth: demoLabel.implicitWidth + 24
            Text {
                id: demoLabel
                objectName: "counterDemoText"
                anchors.centerIn: parent
                text: CounterShell.demoBadge
                textFormat: Text.PlainText
                color: "white"
                font.pixelSize: CounterStyle.small
                font.weight: Font.Bold
            }
        }
        CounterBadge {
            objectName: "centreBadge"
            label: qsTr("Centre service")
            tone: CentreLink.state === "online" ? "good"
                  : CentreLink.state === "offline" ? "bad" : "unknown"
            value: CentreLink.state === "online" ? qsTr("online")
                   : CentreLink.state === "offline" ? qsTr("offline") : qsTr("connecting…")
        }
        CounterBadge {
            objectName: "backendBadge"
            label: qsTr("State server")
            tone: CentreLink.backendState === "online" ? "good"
                  : CentreLink.backendState === "offline" ? "bad" : "unknown"
            value: CentreLink.backendState === "online" ? qsTr("online")
                   : CentreLink.backendState === "offline"
                     ? qsTr("offline, %1 waiting").arg(CentreLink.backendPending)
                     : qsTr("unknown")
        }
        CounterButton {
            objectName: "languageButton"
            kind: "secondary"
            // Labelled in the language it switches to, so its reader recognises it.
            text: CounterShell.lang === "hi" ? "English" : "हिन्दी"
            keyText: "F9"
            implicitHeight: Math.round(40 * CounterStyle.scale)
            onClicked: CounterShell.toggleLanguage()
        }
        CounterButton {
            objectName: "logoutButton"
            visible: CounterLogin.loggedIn
            kind: "secondary"
            text: qsTr("Log out")
            keyText: "F12"
            implicitHeight: Math.round(40 * CounterStyle.scale)
            onClicked: CounterLogin.logout()
        }
    }
}
