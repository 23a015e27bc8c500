import QtQuick
import QtQuick.Controls.Basic

// One key of the kiosk's own keyboard: big, and never taking the focus from the field being
// typed into (a focus-taking key would close the keyboard on its first tap). Its objectName is
// "key_<label>" (key_क, key_्, key_7, key_space, …) so tests and the key-press counter find it.
AbstractButton {
    id: key
    property string label: text
    property string kind: "letter"        // letter | sign | action | enter
    property int labelSize: 40
    focusPolicy: Qt.NoFocus
    Accessible.name: text

    contentItem: Text {
        textFormat: Text.PlainText
        text: key.label
        font.family: Theme.fontFamily
        font.pixelSize: key.labelSize
        color: key.kind === "enter" ? "white" : Theme.text
        horizontalAlignment: Text.AlignHCenter
        verticalAlignment: Text.AlignVCenter
        fontSizeMode: Text.HorizontalFit
        minimumPixelSize: 20
        elide: Text.ElideNone
    }
    background: Rectangle {
        radius: 12
        color: key.down ? Theme.blueLight
               : key.kind === "enter" ? Theme.blue
               : key.kind === "letter" ? Theme.card : "#E1E6EF"
        border.width: key.down ? 3 : 1
        border.color: key.down ? Theme.blue : Theme.border
    }
}
