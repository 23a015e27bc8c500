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
    // Double-buffered: the next screen is built in the hidden slot, asynchronously (the QML
    // incubator creates it a few milliseconds per frame), while the current one stays on
    // screen; when it is Ready the two swap in one frame and the old one is dropped. A screen
    // built synchronously stalled the GUI thread up to 177 ms (home → apply), a plain
    // asynchronous Loader blanked the window for a few frames. While a switch is under way a
    // shield takes every tap and key (they were meant for a screen that is going) and
    // `shownScreen` says which screen is really on display (tests and benches wait on it).
    Item {
        id: screenLoader
        objectName: "screenLoader"
        anchors.fill: parent

        /** The screen on display; it follows Session.screen once that one is built. */
        property string shownScreen: ""
        /** The screen being built in the hidden slot, "" when none is. */
        property string pendingScreen: ""
        /** Frames still to draw before the new screen is laid out and on display: a screen
            built hidden is laid out (its Layouts polished) only in its first visible frame. */
        property int settleFrames: 0
        /** A switch is under way: the next screen is being built, or not yet drawn. */
        readonly property bool switching: pendingScreen !== "" || settleFrames > 0
        property int front: 0
        /** The screen item on display (the fade-in and the screenshot tool use it). */
        readonly property Item item: (front === 0 ? slotA.item : slotB.item) as Item

        function componentFor(name: string): Component {
            switch (name) {
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

        function slot(index: int): Loader {
            return index === 0 ? slotA : slotB
        }

        // Session.screen changed: build it in the back slot (or stop building one no longer
        // wanted). The very first screen is built synchronously: there is nothing to show yet.
        function follow() {
            const wanted = Session.screen
            const back = slot(1 - front)
            if (wanted === shownScreen) {
                if (pendingScreen !== "") {
                    pendingScreen = ""
                    back.sourceComponent = null
                }
                return
            }
            if (wanted === pendingScreen)
                return
            if (pendingScreen === "")
                shield.takeFocus()
            pendingScreen = wanted
            back.asynchronous = shownScreen !== ""
            back.sourceComponent = componentFor(wanted)
            backReady(back)
        }

        // A slot's status changed (or it was just given a screen, built synchronously).
        function backReady(loader: Loader) {
            if (pendingScreen !== "" && loader === slot(1 - front)
                    && (loader.status === Loader.Ready || loader.status === Loader.Error))
                swap()
        }

        // The back slot is Ready: show it and drop the old screen, in the same frame.
        function swap() {
            const old = slot(front)
            front = 1 - front
            old.sourceComponent = null
            settleFrames = 2
            settleTimer.restart()
            shownScreen = pendingScreen
            pendingScreen = ""
            if (item)
                fadeIn.restart()
        }

        Connections {
            target: Session
            function onScreenChanged() { screenLoader.follow() }
        }
        // (afterAnimating: on the GUI thread, whichever render loop draws)
        Connections {
            target: root
            enabled: screenLoader.settleFrames > 0
            function onAfterAnimating() { screenLoader.settleFrames -= 1 }
        }
        Timer {     // a window that draws no frames (hidden) must not stay switching
            id: settleTimer
            interval: 300
            onTriggered: screenLoader.settleFrames = 0
        }
        Component.onCompleted: follow()

        Loader {
            id: slotA
            anchors.fill: parent
            visible: screenLoader.front === 0
            onStatusChanged: screenLoader.backReady(slotA)
        }
        Loader {
            id: slotB
            anchors.fill: parent
            visible: screenLoader.front === 1
            onStatusChanged: screenLoader.backReady(slotB)
        }

        // Over the screen on display while the next one is built: a tap or a key then must not
        // reach a screen that is on its way out. The overlays (busy, error, idle warning) lie
        // above it and stay usable.
        MouseArea {
            id: shield
            objectName: "screenShield"
            anchors.fill: parent
            enabled: screenLoader.switching
            // keys too: the old screen's text box gives its focus up here
            Keys.onPressed: event => event.accepted = true

            function takeFocus() {
                const focused = root.activeFocusItem
                const shown = screenLoader.item
                let it = focused
                while (it && it !== shown)
                    it = it.parent
                if (focused && it)
                    forceActiveFocus()
            }
        }

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
