pragma ComponentBehavior: Bound

import QtQuick
import Kiosk

// The kiosk's one on-screen keyboard: Devanagari, Latin letters and digit pads (docs/keyboard.md
// says why it is not Qt Virtual Keyboard). It types into `editor`, the focused text field: each
// tap asks the `Keyboard` view-model what to do to the text before the cursor (क then आ is
// "का"; a name's words start with a capital), so the rules are Python's, unit-tested; this file
// only draws keys and applies the edits.
// mode: "hi" (Devanagari, with a 123 page), "en" (Latin), "digits" (0-9 only), "number"
// (0-9 . -) or "money" (0-9 000). `switchable` adds the language key (हिंदी ⇄ English page).
Rectangle {
    id: kb
    objectName: "kioskKeyboard"
    property TextInput editor: null
    // Typing somewhere now (tests read this: PySide cannot hand QML a TextInput pointer).
    readonly property bool up: editor !== null
    property string mode: ""
    property bool landscape: false
    property bool switchable: false
    // How the Latin page takes capitals: "words" (names), "all" or "none".
    property string caps: "words"
    // A name field: a row of name chips above the keys; `family` are the names typed in the
    // form's other name fields (their surname comes first).
    property bool names: false
    property var family: []
    // Every block drawn (off-screen) once at start, so none costs a frame when it opens.
    property bool warming: false

    // The page on screen: the language key flips hi ⇄ en; 123 shows the Hindi page's digits.
    property bool switched: false
    property bool numberPage: false
    property bool shifted: false
    readonly property string page: mode === "hi" || mode === "en"
                                   ? (switched === (mode === "hi") ? "en" : "hi") : mode
    readonly property bool letters: page === "hi" && !numberPage
    readonly property bool latin: page === "en"
    readonly property string padKind: page === "hi" ? "number" : page
    readonly property bool warm: warming && !up

    readonly property int keyHeight: landscape ? 68 : 84
    readonly property int gap: landscape ? 6 : 8
    readonly property int pad: 12
    // Letters (both scripts): every key the same width, 12 to the widest row, filling the space
    // beside the side column (landscape) or the whole width (portrait, actions under the keys).
    readonly property int sideWidth: landscape ? 360 : 260
    readonly property real letterWidth: (width - 2 * pad - (landscape ? sideWidth + gap : 0)
                                         - 11 * gap) / 12
    readonly property real digitWidth: landscape ? 200 : 220
    readonly property int rowCount: letters ? Keyboard.letterRows.length + (landscape ? 0 : 1)
                                    : latin ? Keyboard.latinRows.length + (landscape ? 0 : 1)
                                    : padRows.length
    // The chips' row is there for the whole time a name field is focused, empty or not, so the
    // keyboard never changes height under the citizen's finger while they type.
    readonly property bool chipsShown: names && (letters || latin)
    readonly property int chipHeight: landscape ? 60 : 76
    readonly property int chipSlots: landscape ? 7 : 5
    readonly property real keysTop: pad + (chipsShown ? chipHeight + gap : 0)
    height: keysTop + rowCount * keyHeight + (rowCount - 1) * gap + pad
    color: "#C9D1DE"

    onModeChanged: kb.reset()
    onEditorChanged: kb.reset()
    function reset() {
        kb.switched = false
        kb.numberPage = false
        kb.shifted = false
    }

    readonly property string beforeText: editor ? editor.text.substring(0, editor.cursorPosition)
                                                : ""
    readonly property bool upper: latin && (Keyboard.capital(beforeText, caps) !== shifted)
    readonly property var chips: chipsShown && up
                                 ? Keyboard.suggest(beforeText, latin ? "latin" : "deva",
                                                    family, chipSlots)
                                 : []

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
    function type(label) {
        kb.apply(Keyboard.press(kb.beforeText, label))
        kb.shifted = false
    }
    function erase() { kb.apply(Keyboard.backspace(kb.beforeText)) }
    function enter() {
        if (kb.editor)
            kb.editor.accepted()
    }
    function takeChip(word) {
        kb.apply(Keyboard.take(kb.beforeText, word, kb.latin ? "latin" : "deva"))
        kb.shifted = false
    }
    function named(on, label) { return on && kb.up ? Keyboard.keyName(label) : "" }

    // The number pad: 1-9, and under them 0 with, for "number" (dates, decimals), a dot and a
    // dash on either side; for "money" 000 in the dash's place. The rows never change (only
    // keys hide or relabel), so switching between a date and a PIN rebuilds nothing.
    readonly property var padRows: [Keyboard.digitRows[0], Keyboard.digitRows[1],
                                    Keyboard.digitRows[2], [".", Keyboard.digitRows[3][0], "-"]]

    component ActionKey: KeyboardKey {
        kind: "action"
        labelSize: 32
    }

    // -- name chips ----------------------------------------------------------------------------
    Row {
        id: chipRow
        objectName: "keyboardChips"
        visible: kb.chipsShown || kb.warm
        x: kb.pad
        y: kb.pad
        spacing: kb.gap
        readonly property real slotWidth: (kb.width - 2 * kb.pad - (kb.chipSlots - 1) * kb.gap)
                                          / kb.chipSlots
        Repeater {
            model: kb.warm ? ["Singh", "सिंह"] : kb.chips
            KeyboardKey {
                required property string modelData
                objectName: kb.up ? "suggest_" + modelData : ""
                text: modelData
                kind: "chip"
                labelSize: kb.landscape ? 30 : 34
                width: chipRow.slotWidth
                height: kb.chipHeight
                onClicked: kb.takeChip(modelData)
            }
        }
    }

    // -- Devanagari letters ----------------------------------------------------------------------
    Column {
        id: letterBlock
        visible: kb.letters || kb.warm
        x: kb.pad
        y: kb.keysTop
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
                        objectName: kb.named(kb.letters, modelData)
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
    }

    // -- Latin letters: digits and - /, QWERTY, shift and , . --------------------------------------
    Column {
        id: latinBlock
        visible: kb.latin || kb.warm
        x: kb.pad
        y: kb.keysTop
        spacing: kb.gap
        Repeater {
            model: Keyboard.latinRows
            Row {
                id: latinRow
                required property var modelData
                x: (latinBlock.width - width) / 2
                spacing: kb.gap
                Repeater {
                    model: latinRow.modelData
                    KeyboardKey {
                        required property string modelData
                        readonly property bool isShift: modelData === Keyboard.shift
                        objectName: kb.named(kb.latin, modelData)
                        // what the key types: a letter in the case it shows
                        text: isShift ? modelData : kb.upper ? modelData.toUpperCase() : modelData
                        kind: isShift ? (kb.shifted ? "on" : "action") : "letter"
                        labelSize: isShift ? 44 : 40
                        width: kb.letterWidth
                        height: kb.keyHeight
                        onClicked: isShift ? (kb.shifted = !kb.shifted) : kb.type(text)
                    }
                }
            }
        }
    }

    // Portrait: 123, the language key, space, backspace and Next under either script's letters.
    Row {
        id: bottomRow
        visible: (kb.letters || kb.latin || kb.warm) && !kb.landscape
        readonly property bool named: (kb.letters || kb.latin) && !kb.landscape
        readonly property real unit: kb.letterWidth + kb.gap
        readonly property bool language: kb.switchable || kb.warm
        x: kb.pad
        y: kb.keysTop + (kb.latin ? Keyboard.latinRows.length : Keyboard.letterRows.length)
           * (kb.keyHeight + kb.gap)
        spacing: kb.gap
        ActionKey {
            objectName: bottomRow.named && kb.letters && kb.up ? "key_digits" : ""
            visible: !kb.latin
            text: "123"
            width: 2 * bottomRow.unit - kb.gap
            height: kb.keyHeight
            onClicked: kb.numberPage = true
        }
        ActionKey {
            objectName: bottomRow.named && kb.up && kb.switchable ? "key_language" : ""
            visible: bottomRow.language
            text: kb.latin ? "क ख ग" : "A B C"
            width: 2 * bottomRow.unit - kb.gap
            height: kb.keyHeight
            onClicked: kb.switched = !kb.switched
        }
        ActionKey {
            objectName: bottomRow.named && kb.up ? "key_space" : ""
            text: qsTr("space")
            width: (5 + (kb.latin ? 2 : 0) - (bottomRow.language ? 2 : 0)) * bottomRow.unit - kb.gap
            height: kb.keyHeight
            onClicked: kb.type(" ")
        }
        ActionKey {
            objectName: bottomRow.named && kb.up ? "key_backspace" : ""
            text: "⌫"
            autoRepeat: true
            width: 2 * bottomRow.unit - kb.gap
            height: kb.keyHeight
            onClicked: kb.erase()
        }
        ActionKey {
            objectName: bottomRow.named && kb.up ? "key_enter" : ""
            kind: "enter"
            text: qsTr("Next")
            width: 3 * bottomRow.unit - kb.gap
            height: kb.keyHeight
            onClicked: kb.enter()
        }
    }

    // -- the number pad ------------------------------------------------------------------------
    Column {
        id: padBlock
        visible: !(kb.letters || kb.latin) || kb.warm
        x: (kb.width - width - kb.sideWidth - kb.gap) / 2
        y: kb.keysTop
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
                        readonly property bool thousands: kb.padKind === "money"
                                                          && modelData === "-"
                        readonly property bool offered: kb.padKind === "number"
                                                        || (modelData !== "." && modelData !== "-")
                                                        || thousands
                        objectName: kb.named(!(kb.letters || kb.latin) && offered, text)
                        text: thousands ? Keyboard.thousands : modelData
                        labelSize: thousands ? 40 : 48
                        opacity: offered ? 1 : 0
                        enabled: offered
                        width: kb.digitWidth
                        height: kb.keyHeight
                        onClicked: kb.type(text)
                    }
                }
            }
        }
    }

    // -- the side column: backspace and Next (and, in landscape, 123, language and space) ---------
    Column {
        id: side
        readonly property bool lettersBeside: (kb.letters || kb.latin) && kb.landscape
        visible: !(kb.letters || kb.latin) || kb.landscape
        readonly property bool named: visible && kb.up
        x: kb.letters || kb.latin ? kb.width - kb.pad - kb.sideWidth
                                  : padBlock.x + padBlock.width + kb.gap
        y: kb.keysTop
        width: kb.sideWidth
        spacing: kb.gap
        readonly property int slots: kb.letters ? Keyboard.letterRows.length
                                     : kb.latin ? Keyboard.latinRows.length : kb.padRows.length
        readonly property real unit: kb.keyHeight + kb.gap
        readonly property bool hindiPages: kb.page === "hi"
        readonly property bool language: side.lettersBeside && kb.switchable
        ActionKey {
            objectName: side.named ? "key_backspace" : ""
            text: "⌫"
            autoRepeat: true
            width: side.width
            height: kb.keyHeight
            onClicked: kb.erase()
        }
        ActionKey {
            objectName: !side.named || !side.hindiPages ? "" : kb.letters ? "key_digits" : "key_letters"
            visible: side.hindiPages
            text: kb.letters ? "123" : "क ख ग"
            width: side.width
            height: kb.keyHeight
            onClicked: kb.numberPage = kb.letters
        }
        ActionKey {
            objectName: side.named && side.language ? "key_language" : ""
            visible: side.language
            text: kb.latin ? "क ख ग" : "A B C"
            width: side.width
            height: kb.keyHeight
            onClicked: kb.switched = !kb.switched
        }
        ActionKey {
            objectName: side.named && side.lettersBeside ? "key_space" : ""
            visible: side.lettersBeside
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
            height: (side.slots - 1 - (side.hindiPages ? 1 : 0) - (side.language ? 1 : 0)
                     - (side.lettersBeside ? 1 : 0)) * side.unit - kb.gap
            onClicked: kb.enter()
        }
    }
}
