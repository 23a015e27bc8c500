import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// The Samadhan Ek Din line (its window today, or that it has closed) and the notice ticker.
ColumnLayout {
    id: footer
    spacing: BoardStyle.gap / 2
    Rectangle {
        objectName: "samadhanLine"
        radius: BoardStyle.radius
        color: Board.samadhanOpen ? Theme.greenLight : Theme.dangerLight
        border.color: Board.samadhanOpen ? Theme.green : Theme.danger
        Layout.fillWidth: true
        Layout.preferredHeight: samadhan.implicitHeight + BoardStyle.gap
        // Hindi, then English on the same line when both fit (landscape), else under it.
        Flow {
            id: samadhan
            anchors.verticalCenter: parent.verticalCenter
            anchors.left: parent.left
            anchors.right: parent.right
            anchors.leftMargin: BoardStyle.margin
            anchors.rightMargin: BoardStyle.margin
            spacing: BoardStyle.portrait ? 0 : BoardStyle.gap * 2
            Text {
                textFormat: Text.PlainText
                objectName: "samadhanHi"
                text: Board.samadhanHi
                color: Board.samadhanOpen ? Theme.green : Theme.danger
                font.pixelSize: BoardStyle.body
                font.weight: Font.Bold
                width: Math.min(implicitWidth, samadhan.width)
                wrapMode: Text.WordWrap
            }
            Text {
                textFormat: Text.PlainText
                objectName: "samadhanEn"
                text: Board.samadhanEn
                color: Theme.muted
                font.pixelSize: Math.round(BoardStyle.body * 0.85)
                font.family: BoardStyle.latin
                width: Math.min(implicitWidth, samadhan.width)
                wrapMode: Text.WordWrap
            }
        }
    }
    BoardTicker { Layout.fillWidth: true }
}
