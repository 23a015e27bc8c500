import QtQuick
import SevaKiosk.Board
import ".."

// The notices (configuration or the centre's), one at a time, changing every few seconds
// with a short fade: a slow change rather than a scroll, so an idle board draws nothing.
Rectangle {
    id: ticker
    objectName: "ticker"
    color: Theme.blueDark
    radius: BoardStyle.radius
    implicitHeight: lines.implicitHeight + BoardStyle.gap
    BoardTwoLines {
        id: lines
        objectName: "notice"
        anchors.verticalCenter: parent.verticalCenter
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.leftMargin: BoardStyle.margin
        anchors.rightMargin: BoardStyle.margin
        hi: Board.noticeHi
        en: Board.noticeEn
        size: BoardStyle.body
        color: "white"
        enColor: "#D6E0F5"
        onHiChanged: fade.restart()
        NumberAnimation on opacity { id: fade; from: 0.2; to: 1; duration: 400; running: false }
    }
}
