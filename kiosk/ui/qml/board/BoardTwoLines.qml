import QtQuick
import ".."

// One line in both languages, Hindi first and larger, English under it: how every text on
// the board is written (the hall is read by everyone at once, so the board never switches).
Column {
    id: two
    property string hi: ""
    property string en: ""
    property int size: BoardStyle.body
    property color color: Theme.text
    property color enColor: Theme.muted
    property bool bold: false
    property int align: Text.AlignLeft
    spacing: 0
    Text {
        textFormat: Text.PlainText
        objectName: two.objectName ? two.objectName + "Hi" : ""
        width: two.width
        text: two.hi
        color: two.color
        font.pixelSize: two.size
        font.weight: two.bold ? Font.Bold : Font.Normal
        horizontalAlignment: two.align
        elide: Text.ElideRight
    }
    Text {
        textFormat: Text.PlainText
        objectName: two.objectName ? two.objectName + "En" : ""
        width: two.width
        text: two.en
        color: two.enColor
        font.pixelSize: Math.round(two.size * 0.78)
        font.family: BoardStyle.latin
        horizontalAlignment: two.align
        elide: Text.ElideRight
    }
}
