import QtQuick

// A double-buffered Loader: shows `components[key]`, built in a hidden slot asynchronously (the
// QML incubator creates it a few milliseconds per frame) while the item shown now stays up;
// when it is Ready the two swap in one frame and the old item is dropped. Building a screen or
// a page synchronously stalled the GUI thread for 50–180 ms; a plain asynchronous Loader blanks
// the area for a few frames. While a switch is under way a shield takes every tap and the focus
// (they were meant for an item that is going); anything stacked above this item (overlays, a
// top bar) still works. `shown` says which key is really on display, and `switching` stays true
// until the new item has been drawn once (an item built hidden is laid out only in its first
// visible frame): tests, benches and screenshots wait on them. The first item is built
// synchronously: there is nothing to keep up meanwhile.
Item {
    id: swap

    /** What should be shown: a key of `components`; another key shows `fallback`. */
    property string key: ""
    /** false: keep what is shown and ignore `key` (the screen around it is on its way out). */
    property bool follows: true
    property var components: ({})
    property Component fallback: null
    /** Fade the new item in from this opacity (1: no fade) over `fadeColor`. */
    property real fadeFrom: 1.0
    property color fadeColor: "transparent"
    /** How far the fade-in has come: `fadeFrom` just after a swap, 1 once it is over. */
    property real fade: 1.0

    /** The key on display; it follows `key` once that one is built. */
    property string shown: ""
    /** The key being built in the hidden slot, "" when none is. */
    property string pending: ""
    /** Frames still to draw before the new item is laid out and on display. */
    property int settleFrames: 0
    /** A switch is under way: the next item is being built, or not yet drawn. */
    readonly property bool switching: pending !== "" || settleFrames > 0
    property int front: 0
    /** The item on display. */
    readonly property Item item: (front === 0 ? slotA.item : slotB.item) as Item

    onKeyChanged: follow()
    onFollowsChanged: follow()
    Component.onCompleted: follow()

    function componentFor(name: string): Component {
        const c = components[name]
        return c ? c : fallback
    }

    function slot(index: int): Loader {
        return index === 0 ? slotA : slotB
    }

    // `key` changed: build it in the back slot, or stop building one no longer wanted.
    function follow() {
        if (!follows)
            return
        const back = slot(1 - front)
        if (key === shown && slot(front).item) {
            if (pending !== "") {
                pending = ""
                back.sourceComponent = null
            }
            return
        }
        if (key === pending)
            return
        if (pending === "")
            shield.takeFocus()
        pending = key
        back.asynchronous = slot(front).item !== null
        back.sourceComponent = componentFor(key)
        backReady(back)
    }

    // A slot's status changed (or it was just given an item, built synchronously).
    function backReady(loader: Loader) {
        if (pending !== "" && loader === slot(1 - front)
                && (loader.status === Loader.Ready || loader.status === Loader.Error))
            swapIn()
    }

    // The back slot is Ready: show it and drop the old item, in the same frame.
    function swapIn() {
        const old = slot(front)
        front = 1 - front
        old.sourceComponent = null
        settleFrames = 2
        settleTimer.restart()
        shown = pending
        pending = ""
        if (fadeFrom < 1.0)
            fadeIn.restart()
    }

    // (afterAnimating: on the GUI thread, whichever render loop draws)
    Connections {
        target: swap.Window.window
        enabled: swap.settleFrames > 0
        function onAfterAnimating() { swap.settleFrames -= 1 }
    }
    Timer {     // a window that draws no frames (hidden) must not stay switching
        id: settleTimer
        interval: 300
        onTriggered: swap.settleFrames = 0
    }

    Loader {
        id: slotA
        anchors.fill: parent
        visible: swap.front === 0
        onStatusChanged: swap.backReady(slotA)
    }
    Loader {
        id: slotB
        anchors.fill: parent
        visible: swap.front === 1
        onStatusChanged: swap.backReady(slotB)
    }

    // The fade-in is a veil of the colour behind the item, fading out, rather than the item's
    // own opacity: the same picture (the item at 40 % over the page colour is the page colour
    // at 60 % over the item), but a renderer without a GPU (the software renderer offscreen and
    // on boards without GL) blends one rectangle per frame instead of re-rendering the whole
    // screen through an opacity layer: 8 ms instead of 25–32 ms a frame, measured.
    Rectangle {
        id: veil
        anchors.fill: parent
        color: swap.fadeColor
        opacity: 1.0 - swap.fade
        visible: opacity > 0.001
    }

    // Over the item on display while the next one is built: a tap or a key then must not
    // reach an item that is on its way out.
    MouseArea {
        id: shield
        anchors.fill: parent
        enabled: swap.switching
        Keys.onPressed: event => event.accepted = true

        // The old item's text box gives its focus up here (its keyboard closes, as when the
        // item was destroyed at once).
        function takeFocus() {
            const focused = swap.Window.activeFocusItem
            let it = focused
            while (it && it !== swap)
                it = it.parent
            if (focused && it && focused !== shield)
                forceActiveFocus()
        }
    }

    NumberAnimation {
        id: fadeIn
        target: swap
        property: "fade"
        from: swap.fadeFrom; to: 1.0
        duration: 180
    }
}
