import QtQuick
import Kiosk
import QtQuick.Controls.Basic

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
    // One keyboard, the kiosk's own (KioskKeyboard; no Qt Virtual Keyboard in this window: its
    // panel cost 25-40 ms of GUI-thread CPU on every focus change). It is up while an editable
    // text box has the focus, and the box decides the page: digits and numbers get a pad (a
    // money amount with 000), Latin-only boxes the Latin page, the others the session's script
    // or the one their form field claims (KeyboardArea.claim). A screen puts it away with
    // KeyboardArea.dismiss(), which takes the focus from the box.
    readonly property TextInput editor: root.activeFocusItem as TextInput
    readonly property bool typing: editor !== null && !editor.readOnly
    readonly property int editorHints: editor ? editor.inputMethodHints : 0
    readonly property bool claimed: typing && KeyboardArea.owner === editor
    readonly property string keyboardMode: {
        if (!typing)
            return ""
        if (editorHints & Qt.ImhDigitsOnly)
            return claimed && KeyboardArea.money ? "money" : "digits"
        if (editorHints & Qt.ImhFormattedNumbersOnly)
            return "number"
        if (editorHints & Qt.ImhLatinOnly)
            return "en"
        var locale = claimed && KeyboardArea.locale !== "" ? KeyboardArea.locale
                                                             : Session.keyboardLocale
        return locale === "hi_IN" ? "hi" : "en"
    }
    readonly property bool ownKeyboard: keyboardMode !== ""
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
        switchable: (root.keyboardMode === "hi" || root.keyboardMode === "en")
                    && !(root.editorHints & Qt.ImhLatinOnly)
                    && !(root.claimed && KeyboardArea.fixedScript)
        caps: root.editorHints & Qt.ImhPreferUppercase ? "all"
              : root.editorHints & (Qt.ImhNoAutoUppercase | Qt.ImhPreferLowercase) ? "none"
              : "words"
        names: root.claimed && KeyboardArea.names
        family: root.claimed ? KeyboardArea.family : []
        y: root.ownKeyboard ? root.height - height : root.height
        warming: !root.keyboardWarm
        visible: root.ownKeyboard || warming
    }
    Timer {
        interval: 400
        running: true
        onTriggered: root.keyboardWarm = true
    }

    Connections {
        target: KeyboardArea
        function onDismissRequested() {
            var box = root.editor
            if (!box)
                return
            box.focus = false
            if (box.activeFocus)          // the only focus of its scope: give it to the window
                root.contentItem.forceActiveFocus()
        }
    }

    Binding {
        target: KeyboardArea
        property: "height"
        value: root.ownKeyboard ? kioskKeyboard.height : 0
    }
}
