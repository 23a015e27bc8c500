import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// Outside the centre's hours (and on holidays), with no counter working: closed, and when
// it opens next.
Rectangle {
    id: closed
    objectName: "closedScreen"
    color: Theme.blueDark

    ColumnLayout {
        anchors.centerIn: parent
        width: parent.width - 4 * BoardStyle.margin
        spacing: BoardStyle.gap * 2
        BoardTwoLines {
            hi: Board.centreNameHi
            en: Board.centreNameEn
            size: BoardStyle.heading
            color: "#D6E0F5"
            enColor: "#AFC2EA"
            align: Text.AlignHCenter
            Layout.fillWidth: true
        }
        BoardTwoLines {
            objectName: "closedTitle"
            hi: Board.labels.closed.hi
            en: Board.labels.closed.en
            size: Math.round(BoardStyle.screenHeight * 0.09)
            bold: true
            color: "white"
            enColor: "#D6E0F5"
            align: Text.AlignHCenter
            Layout.fillWidth: true
        }
        BoardTwoLines {
            objectName: "opens"
            hi: Board.opensHi
            en: Board.opensEn
            size: Math.round(BoardStyle.heading * 1.2)
            color: "#FFD7A8"
            enColor: "#FFE8CC"
            align: Text.AlignHCenter
            Layout.fillWidth: true
        }
    }
    BoardTicker {
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.bottom: parent.bottom
        anchors.margins: BoardStyle.margin
    }
    Rectangle {
        objectName: "closedConnectionLost"
        visible: BoardLink.lost
        anchors.top: parent.top
        anchors.right: parent.right
        anchors.margins: BoardStyle.margin
        width: Math.round(18 * BoardStyle.unit)
        height: width
        radius: width / 2
        color: "#FF8A80"
    }
}
