import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// The latest call, large: token → counter. It pulses for a few seconds after each call or
// recall, then stays highlighted.
Rectangle {
    id: card
    objectName: "nowCalling"
    radius: BoardStyle.radius
    color: Board.hasLatest ? Theme.saffronLight : Theme.card
    border.color: Board.hasLatest ? Theme.saffron : Theme.border
    border.width: Math.round(4 * BoardStyle.unit)

    Rectangle {
        id: glow
        anchors.fill: parent
        radius: card.radius
        color: Theme.saffron
        opacity: 0
    }
    SequentialAnimation {
        running: Board.pulsing
        loops: Animation.Infinite
        NumberAnimation { target: glow; property: "opacity"; to: 0.45; duration: 450; easing.type: Easing.InOutQuad }
        NumberAnimation { target: glow; property: "opacity"; to: 0; duration: 450; easing.type: Easing.InOutQuad }
        onStopped: glow.opacity = 0
    }

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: BoardStyle.margin
        spacing: 0
        RowLayout {
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: Board.labels.nowCalling.hi + "  ·  " + Board.labels.nowCalling.en
                color: Theme.blueDark
                font.pixelSize: BoardStyle.large
                font.weight: Font.Bold
                Layout.fillWidth: true
                elide: Text.ElideRight
            }
            Rectangle {
                objectName: "latestRecall"
                visible: Board.hasLatest && Board.latest.recall === true
                color: Theme.danger
                radius: Math.round(8 * BoardStyle.unit)
                implicitHeight: recallText.implicitHeight + Math.round(8 * BoardStyle.unit)
                implicitWidth: recallText.implicitWidth + 2 * BoardStyle.gap
                Text {
                    textFormat: Text.PlainText
                    id: recallText
                    anchors.centerIn: parent
                    text: Board.labels.recall.hi + " · " + Board.labels.recall.en
                    color: "white"
                    font.pixelSize: BoardStyle.small
                    font.weight: Font.Bold
                }
            }
        }
        GridLayout {
            visible: Board.hasLatest
            columns: BoardStyle.portrait ? 1 : 3
            columnSpacing: BoardStyle.gap
            rowSpacing: 0
            Layout.fillWidth: true
            Layout.fillHeight: true
            Text {
                textFormat: Text.PlainText
                id: token
                objectName: "latestToken"
                text: Board.hasLatest ? Board.latest.token : ""
                color: Theme.text
                font.pixelSize: BoardStyle.token
                font.weight: Font.Bold
                font.family: BoardStyle.latin
                fontSizeMode: Text.HorizontalFit
                minimumPixelSize: Math.round(BoardStyle.token * 0.7)
                horizontalAlignment: BoardStyle.portrait ? Text.AlignHCenter : Text.AlignLeft
                verticalAlignment: Text.AlignVCenter
                Layout.fillWidth: BoardStyle.portrait
                Layout.preferredWidth: BoardStyle.portrait ? -1 : implicitWidth
                Layout.alignment: Qt.AlignVCenter
            }
            Text {
                textFormat: Text.PlainText
                visible: !BoardStyle.portrait
                text: "→"
                color: Theme.saffron
                font.pixelSize: Math.round(BoardStyle.token * 0.5)
                font.weight: Font.Bold
                font.family: BoardStyle.latin
                Layout.alignment: Qt.AlignVCenter
            }
            BoardTwoLines {
                objectName: "latestCounter"
                visible: !BoardStyle.portrait
                hi: Board.hasLatest ? Board.latest.counterHi : ""
                en: Board.hasLatest ? Board.latest.counterEn : ""
                size: Math.round(BoardStyle.counterName * 1.15)
                bold: true
                color: Theme.blueDark
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignVCenter
            }
            // Portrait: "→ काउंटर 2  Counter 2" on one line under the token.
            Row {
                visible: BoardStyle.portrait
                spacing: BoardStyle.gap * 2
                Layout.alignment: Qt.AlignHCenter
                Text {
                    textFormat: Text.PlainText
                    objectName: "latestCounterPortraitHi"
                    text: "→ " + (Board.hasLatest ? Board.latest.counterHi : "")
                    color: Theme.blueDark
                    font.pixelSize: Math.round(BoardStyle.counterName * 1.1)
                    font.weight: Font.Bold
                    anchors.baseline: portraitEn.baseline
                }
                Text {
                    textFormat: Text.PlainText
                    id: portraitEn
                    text: Board.hasLatest ? Board.latest.counterEn : ""
                    color: Theme.muted
                    font.pixelSize: Math.round(BoardStyle.counterName * 0.85)
                    font.family: BoardStyle.latin
                }
            }
        }
        BoardTwoLines {
            visible: !Board.hasLatest
            objectName: "noCalls"
            hi: Board.labels.noCalls.hi
            en: Board.labels.noCalls.en
            size: BoardStyle.heading
            align: Text.AlignHCenter
            Layout.fillWidth: true
            Layout.fillHeight: true
        }
    }
}
