pragma ComponentBehavior: Bound

import QtQuick
import Kiosk

// The kiosk's own keyboard for Devanagari and digits (docs/keyboard.md says why it is not a
// Qt Virtual Keyboard layout). It types into `editor`, the focused text field: each tap asks the
// `Keyboard` view-model what to do to the text before the cursor (क then आ is "का"), so the
// rules are Python's, unit-tested; this file only draws keys and applies the edits.
// mode: "hi" (letters, with a 123 page), "digits" (0-9 only) or "number" (0-9 . -).
Rectangle {
    id: kb
    objectName: "kioskKeyboard"
    property TextInput editor: null
    // Typing somewhere now (tests read this: PySide cannot hand QML a TextInput pointer).
    readonly property bool up: editor !== null
    property string mode: ""
    property bool landscape: false
    // The 123 page of the Hindi keyboard (a house number in an address).
    property bool numberPage: false
    // Both key blocks drawn (off-screen) once at start, so neither costs a frame when it opens.
    property bool warming: false
    readonly property bool letters: mode === "hi" && !numberPage
    readonly property int keyHeight: landscape ? 68 : 84
    readonly property int gap: landscape ? 6 : 8
    readonly property int pad: 12
    // Letters: every key the same width, the widest row (12 keys) filling the space beside the
    // side column (landscape) or the whole width (portrait, the actions under the letters).
    readonly property int sideWidth: landscape ? 360 : 260
    readonly property real letterWidth: (width - 2 * pad - (landscape ? sideWidth + gap : 0)
                                         - 11 * gap) / 12
    readonly property real digitWidth: landscape ? 200 : 220
    readonly property int rowCount: letters ? Keyboard.letterRows.length + (landscape ? 0 : 1)
                                            : padRows.length
    height: rowCount * keyHeight + (rowCount - 1) * gap + 2 * pad
    color: "#C9D1DE"

    onModeChanged: numberPage = false

    function before() {
        return kb.editor ? kb.editor.text.substring(0, kb.editor.cursorPosition) : ""
    }
    function apply(edit) {
        var ed = kb.editor
        if (!ed || ed.readOnly)
            return
        if (ed.selectedText !== "")
            ed.remove(ed.selectionStart, ed.selectionEnd)
        var pos = ed.cursorPosition
        if (edit.remove > 0) {
            ed.remove(pos - edit.remove, pos)
            pos -= edit.remove
        }
        if (edit.insert !== "" && (ed.maximumLength <= 0
                                   || ed.text.length + edit.insert.length <= ed.maximumLength))
            ed.insert(pos, edit.insert)
    }
    function type(label) { kb.apply(Keyboard.press(kb.before(), label)) }
    function erase() { kb.apply(Keyboard.backspace(kb.before())) }
    function enter() {
        if (kb.editor)
            kb.editor.accepted()
    }

    // The number pad: 1-9, and under them 0 with, for "number" (dates, decimals), a dot and a
    // dash on either side. The rows never change (only the dot and dash hide), so switching
    // between a date and a PIN rebuilds nothing.
    readonly property var padRows: [Keyboard.digitRows[0], Keyboard.digitRows[1],
                                    Keyboard.digitRows[2], [".", Keyboard.digitRows[3][0], "-"]]

    component ActionKey: KeyboardKey {
        kind: "action"
        labelSize: 32
    }

    // -- the letters ---------------------------------------------------------------------------
    Column {
        id: letterBlock
        visible: kb.letters || (kb.warming && !kb.up)
        x: kb.pad
        y: kb.pad
        spacing: kb.gap
        Repeater {
            model: Keyboard.letterRows
            Row {
                id: row
                required property var modelData
                x: (letterBlock.width - width) / 2   // a shorter row sits in the middle
                spacing: kb.gap
                Repeater {
                    model: row.modelData
                    KeyboardKey {
                        required property string modelData
                        objectName: kb.letters ? Keyboard.keyName(modelData) : ""
                        text: modelData
                        kind: "\u093c\u094d\u0902\u0901\u0903".indexOf(modelData) >= 0
                              ? "sign" : "letter"
                        // a sign alone is drawn on a dotted circle, as in school books
                        label: kind === "sign" ? "\u25cc" + modelData : modelData
                        labelSize: kind === "sign" ? 52 : 40
                        width: kb.letterWidth
                        height: kb.keyHeight
                        onClicked: kb.type(modelData)
                    }
                }
            }
        }
        // Portrait: 123, space, backspace and Next under the letters.
        Row {
            id: bottomRow
            visible: !kb.landscape
            readonly property bool named: kb.letters && !kb.landscape
            readonly property real unit: kb.letterWidth + kb.gap
            spacing: kb.gap
            ActionKey {
                objectName: bottomRow.named ? "key_digits" : ""
                text: "123"
                width: 2 * bottomRow.unit - kb.gap
                height: kb.keyHeight
                onClicked: kb.numberPage = true
            }
            ActionKey {
                objectName: bottomRow.named ? "key_space" : ""
                text: qsTr("space")
                width: 5 * bottomRow.unit - kb.gap
                height: kb.keyHeight
                onClicked: kb.type(" ")
            }
            ActionKey {
                objectName: bottomRow.named ? "key_backspace" : ""
                text: "⌫"
                autoRepeat: true
                width: 2 * bottomRow.unit - kb.gap
                height: kb.keyHeight
                onClicked: kb.erase()
            }
            ActionKey {
                objectName: bottomRow.named ? "key_enter" : ""
                kind: "enter"
                text: qsTr("Next")
                width: 3 * bottomRow.unit - kb.gap
                height: kb.keyHeight
                onClicked: kb.enter()
            }
        }
    }

    // -- the number pad ------------------------------------------------------------------------
    Column {
        id: padBlock
        visible: !kb.letters || (kb.warming && !kb.up)
        x: (kb.width - width - kb.sideWidth - kb.gap) / 2
        y: kb.pad
        spacing: kb.gap
        Repeater {
            model: kb.padRows
            Row {
                id: padRow
                required property var modelData
                spacing: kb.gap
                Repeater {
                    model: padRow.modelData
                    KeyboardKey {
                        required property string modelData
                        readonly property bool offered: kb.mode !== "digits"
                                                        || (modelData !== "." && modelData !== "-")
                        objectName: !kb.letters && offered ? Keyboard.keyName(modelData) : ""
                        text: modelData
                        labelSize: 48
                        opacity: offered ? 1 : 0
                        enabled: offered
                        width: kb.digitWidth
                        height: kb.keyHeight
                        onClicked: kb.type(modelData)
                    }
                }
            }
        }
    }

    // -- the side column: backspace and Next (and, in landscape, 123 and space) ------------------
    Column {
        id: side
        visible: !kb.letters || kb.landscape
        readonly property bool named: visible
        x: kb.letters ? kb.width - kb.pad - kb.sideWidth : padBlock.x + padBlock.width + kb.gap
        y: kb.pad
        width: kb.sideWidth
        spacing: kb.gap
        readonly property int slots: kb.letters ? Keyboard.letterRows.length : kb.padRows.length
        readonly property real unit: kb.keyHeight + kb.gap
        ActionKey {
            objectName: side.named ? "key_backspace" : ""
            text: "⌫"
            autoRepeat: true
            width: side.width
            height: kb.keyHeight
            onClicked: kb.erase()
        }
        ActionKey {
            objectName: !side.named || kb.mode !== "hi" ? "" : kb.letters ? "key_digits" : "key_letters"
            visible: kb.mode === "hi"
            text: kb.letters ? "123" : "क ख ग"
            width: side.width
            height: kb.keyHeight
            onClicked: kb.numberPage = kb.letters
        }
        ActionKey {
            objectName: side.named && kb.letters ? "key_space" : ""
            visible: kb.letters
            text: qsTr("space")
            width: side.width
            height: kb.keyHeight
            onClicked: kb.type(" ")
        }
        ActionKey {
            objectName: side.named ? "key_enter" : ""
            kind: "enter"
            text: qsTr("Next")
            width: side.width
            // whatever the rows above leave
            height: (side.slots - (kb.mode === "hi" ? (kb.letters ? 3 : 2) : 1)) * side.unit
                    - kb.gap
            onClicked: kb.enter()
        }
    }
}
