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

    // -- the screens ------------------------------------------------------------------------
    // Double-buffered (SwapLoader): the next screen is built asynchronously while the current
    // one stays on screen, taking no input, and the two swap in one frame. Built synchronously,
    // home → apply stalled the GUI thread up to 177 ms; a plain asynchronous Loader blanked the
    // window for a few frames. `shownScreen` is the screen really on display (tests and benches
    // wait on it and on `switching`).
    SwapLoader {
        id: screenLoader
        objectName: "screenLoader"
        anchors.fill: parent
        readonly property string shownScreen: shown
        key: Session.screen
        fadeFrom: 0.4
        fadeColor: root.color
        fallback: attractScreen
        components: ({
            "language": languageScreen, "home": homeScreen, "groups": groupScreen,
            "priority": priorityScreen, "token": tokenScreen, "tech_pin": techPinScreen,
            "diagnostics": diagnosticsScreen, "apply": applyScreen, "status": statusScreen,
            "verify": verifyScreen
        })
    }

    HelpBanner {
        anchors { left: parent.left; right: parent.right; bottom: parent.bottom
                  leftMargin: Theme.margin; rightMargin: Theme.margin; bottomMargin: 170 }
        z: 20
    }

    NetworkBadge {
        // Diagnostics has its own, fuller sync line; the badge would only cover its lists.
        visible: Network.available && screenLoader.shownScreen !== "diagnostics"
        anchors.left: parent.left
        anchors.bottom: parent.bottom
        anchors.margins: 14
        z: 10
    }

    DemoBadge {
        // The screens without a top bar (which shows its own): a demo kiosk must never pass
        // for a real one.
        visible: Session.demoBadge !== "" && (screenLoader.shownScreen === "attract"
                                              || screenLoader.shownScreen === "language")
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

    // -- the on-screen keyboards ------------------------------------------------------------
    // The focused text field decides: digits and numbers get the kiosk's number pad, a field
    // typed in Hindi the kiosk's Devanagari keyboard (KioskKeyboard: a vowel after a consonant
    // is its matra), Latin letters Qt's InputPanel. Both are up only while Qt's input method is
    // (a screen's Qt.inputMethod.hide() closes either).
    readonly property TextInput editor: root.activeFocusItem as TextInput
    readonly property int editorHints: editor ? editor.inputMethodHints : 0
    readonly property string keyboardMode: {
        if (!editor || editor.readOnly)
            return ""
        if (editorHints & Qt.ImhDigitsOnly)
            return "digits"
        if (editorHints & Qt.ImhFormattedNumbersOnly)
            return "number"
        if (!(editorHints & Qt.ImhLatinOnly) && VirtualKeyboardSettings.locale === "hi_IN")
            return "hi"
        return ""
    }
    // The linter knows Qt.inputMethod only as a QObject (QInputMethod is a QtGui type it has
    // no description of), hence the disable.
    readonly property bool inputUp: Qt.inputMethod.visible // qmllint disable missing-property
    readonly property bool ownKeyboard: keyboardMode !== "" && inputUp
    readonly property bool landscape: width > height
    // Drawn once, off-screen, right after start: the first open then costs nothing (its glyphs
    // and nodes exist), instead of the 100 ms a finger would feel.
    property bool keyboardWarm: false

    KioskKeyboard {
        id: kioskKeyboard
        z: 100
        width: root.width
        editor: root.ownKeyboard ? root.editor : null
        mode: root.ownKeyboard ? root.keyboardMode : "hi"
        landscape: root.landscape
        y: root.ownKeyboard ? root.height - height : root.height
        warming: !root.keyboardWarm
        visible: root.ownKeyboard || warming
    }
    Timer {
        interval: 400
        running: true
        onTriggered: root.keyboardWarm = true
    }

    InputPanel {
        id: inputPanel
        objectName: "inputPanel"
        z: 100
        // In landscape Qt's keyboard, whose height follows its width, would cover more than half
        // the screen at full width; 1280 px keeps its keys large and the form in sight.
        width: root.landscape ? Math.min(root.width, 1280) : root.width
        x: (root.width - width) / 2
        y: active ? root.height - height : root.height
        visible: active && root.keyboardMode === ""
    }

    Binding {
        target: KeyboardArea
        property: "height"
        value: root.ownKeyboard ? kioskKeyboard.height
               : inputPanel.visible ? inputPanel.height : 0
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
