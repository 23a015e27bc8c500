import QtQuick
import Kiosk
import QtQuick.Controls.Basic
import QtQuick.VirtualKeyboard
import QtQuick.VirtualKeyboard.Settings

// The kiosk window. It only switches screens on `Session.screen` and stacks the overlays;
// all state and every action live in the Python view-model `Session` (the `Kiosk` singletons).
ApplicationWindow {
    id: root
    objectName: "mainWindow"
    title: "Seva Kiosk"
    visible: false            // Python shows it windowed or full-screen
    width: 1080
    height: 1920
    color: Theme.page
    font.family: Theme.fontFamily
    font.pixelSize: Theme.bodySize

    Component { id: attractScreen; AttractScreen {} }
    Component { id: languageScreen; LanguageScreen {} }
    Component { id: homeScreen; HomeScreen {} }
    Component { id: groupScreen; GroupScreen {} }
    Component { id: priorityScreen; PriorityScreen {} }
    Component { id: tokenScreen; TokenScreen {} }
    Component { id: techPinScreen; TechPinScreen {} }
    Component { id: diagnosticsScreen; DiagnosticsScreen {} }
    Component { id: applyScreen; ApplyScreen {} }
    Component { id: statusScreen; StatusScreen {} }
    Component { id: verifyScreen; VerifyScreen {} }

    Binding {
        target: Theme
        property: "easy"
        value: Session.easyRead
    }

    Loader {
        id: screenLoader
        objectName: "screenLoader"
        anchors.fill: parent
        sourceComponent: {
            switch (Session.screen) {
            case "language": return languageScreen
            case "home": return homeScreen
            case "groups": return groupScreen
            case "priority": return priorityScreen
            case "token": return tokenScreen
            case "tech_pin": return techPinScreen
            case "diagnostics": return diagnosticsScreen
            case "apply": return applyScreen
            case "status": return statusScreen
            case "verify": return verifyScreen
            default: return attractScreen
            }
        }
        onLoaded: fadeIn.restart()
        NumberAnimation {
            id: fadeIn
            target: screenLoader.item
            property: "opacity"
            from: 0.4; to: 1.0
            duration: 180
        }
    }

    HelpBanner {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                  leftMargin: Theme.margin; rightMargin: Theme.margin; bottomMargin: 170 }
        z: 20
    }

    NetworkBadge {
        // Diagnostics has its own, fuller sync line; the badge would only cover its lists.
        visible: Network.available && Session.screen !== "diagnostics"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 14
        z: 10
    }

    DemoBadge {
        // The screens without a top bar (which shows its own): a demo kiosk must never pass
        // for a real one.
        visible: Session.demoBadge !== "" && (Session.screen === "attract"
                                              || Session.screen === "language")
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: 14
        z: 20
    }

    BusyOverlay {
        anchors.fill: parent
        visible: Session.busy
    }

    MessageOverlay {
        anchors.fill: parent
        visible: Session.errorText !== ""
    }

    IdleOverlay {
        anchors.fill: parent
        visible: Session.idleWarning
    }

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        z: 100
        width: root.width
        y: active ? root.height - height : root.height
        visible: active
    }

    Binding {
        target: VirtualKeyboardSettings
        property: "locale"
        value: Session.keyboardLocale
    }

    Component.onCompleted: {
        VirtualKeyboardSettings.activeLocales = ["hi_IN", "en_US"]
    }
}
