import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// The centre's name, the discreet "connection lost" mark and the clock.
Rectangle {
    id: bar
    color: Theme.blue
    implicitHeight: Math.round(90 * BoardStyle.unit)

    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: BoardStyle.margin
        anchors.rightMargin: BoardStyle.margin
        spacing: BoardStyle.gap
        BoardTwoLines {
            hi: Board.centreNameHi
            en: Board.centreNameEn
            size: BoardStyle.body
            bold: true
            color: "white"
            enColor: "#D6E0F5"
            Layout.fillWidth: true
        }
        Rectangle {
            objectName: "boardDemoBadge"
            visible: Board.demoBadge !== ""
            radius: 10
            color: "#B3261E"
            border.color: "white"
            border.width: 2
            implicitHeight: Math.round(56 * BoardStyle.unit)
            implicitWidth: demoText.implicitWidth + 2 * BoardStyle.gap
            Text {
                id: demoText
                anchors.centerIn: parent
                textFormat: Text.PlainText
                text: Board.demoBadge
                color: "white"
                font.pixelSize: BoardStyle.small
                font.weight: Font.Bold
            }
        }
        Rectangle {
            id: lostMark
            objectName: "connectionLost"
            visible: BoardLink.lost
            radius: height / 2
            color: "#2A4E9C"
            implicitHeight: Math.round(56 * BoardStyle.unit)
            implicitWidth: lostRow.implicitWidth + 2 * BoardStyle.gap
            Row {
                id: lostRow
                anchors.centerIn: parent
                spacing: Math.round(10 * BoardStyle.unit)
                Rectangle {
                    width: Math.round(18 * BoardStyle.unit)
                    height: width
                    radius: width / 2
                    color: "#FF8A80"
                    anchors.verticalCenter: parent.verticalCenter
                }
                Text {
                    textFormat: Text.PlainText
                    text: Board.labels.connectionLost.hi + " · " + Board.labels.connectionLost.en
                    color: "white"
                    font.pixelSize: BoardStyle.small
                    anchors.verticalCenter: parent.verticalCenter
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            objectName: "boardClock"
            text: Board.clockText
            color: "white"
            font.pixelSize: BoardStyle.heading
            font.weight: Font.Bold
            font.family: BoardStyle.latin
        }
    }
}
