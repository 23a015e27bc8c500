import QtQuick
import QtQuick.Controls.Basic

// One key of the kiosk's own keyboard: big, and never taking the focus from the field being
// typed into (a focus-taking key would close the keyboard on its first tap). Its objectName is
// "key_<label>" (key_क, key_्, key_7, key_k, key_space, …) so tests and the key-press counter
// find it; a name chip is "suggest_<word>".
AbstractButton {
    id: key
    property string label: text
    property string kind: "letter"        // letter | sign | action | on (shift held) | enter | chip
    property int labelSize: 40
    focusPolicy: Qt.NoFocus
    Accessible.name: text

    contentItem: Text {
        textFormat: Text.PlainText
        text: key.label
        font.family: Theme.fontFamily
        font.pixelSize: key.labelSize
        color: key.kind === "enter" || key.kind === "on" ? "white"
               : key.kind === "chip" ? Theme.blue : Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: 20
        elide: Text.ElideNone
    }
    background: Rectangle {
        radius: 12
        color: key.down ? Theme.blueLight
               : key.kind === "enter" || key.kind === "on" ? Theme.blue
               : key.kind === "letter" || key.kind === "chip" ? Theme.card : "#E1E6EF"
        border.width: key.down || key.kind === "chip" ? 3 : 1
        border.color: key.down || key.kind === "chip" ? Theme.blue : Theme.border
    }
}
