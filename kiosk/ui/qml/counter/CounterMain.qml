import QtQuick
import QtQuick.Controls.Basic
import SevaKiosk.Counter
import ".."

// The counter console's window (landscape, keyboard and mouse). It only switches between the
// log-in and the console on `CounterLogin.loggedIn`; all state lives in the view-models.
ApplicationWindow {
    id: root
    objectName: "counterWindow"
    title: qsTr("Counter %1").arg(CounterShell.counter) + " — Seva Kiosk"
    visible: false            // Python shows it windowed or full-screen
    width: 1366
    height: 768
    color: Theme.page
    font.family: Theme.fontFamily
    font.pixelSize: CounterStyle.body

    header: CounterTopBar {}

    Binding {
        target: CounterStyle
        property: "scale"
        value: Math.max(0.9, Math.min(root.height / 768, root.width / 1366))
    }

    Component { id: loginScreen; CounterLoginScreen {} }
    Component { id: consoleScreen; CounterConsoleScreen {} }
    Component { id: applyScreen; CounterApplyScreen {} }   // desk-apply: Ctrl+N
    Component { id: findScreen; CounterApplyFind {} }      // desk-apply: Ctrl+F

    Loader {
        id: screenLoader
        objectName: "counterScreenLoader"
        anchors.fill: parent
        sourceComponent: !CounterLogin.loggedIn ? loginScreen
                         : DeskWizard.active ? applyScreen : DeskFind.active ? findScreen
                         : consoleScreen
    }

    CounterIdleBanner {
        visible: CounterLogin.countdownVisible
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
    }

    // Available on every screen: the language switch and log-out.
    Shortcut {
        sequence: "F9"
        onActivated: CounterShell.toggleLanguage()
    }
    Shortcut {
        sequence: "F12"
        enabled: CounterLogin.loggedIn
        onActivated: CounterLogin.logout()
    }
}
