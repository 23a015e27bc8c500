pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// The calls before the latest, newest first: token → counter, a recall marked.
Rectangle {
    id: panel
    objectName: "history"
    radius: BoardStyle.radius
    color: Theme.card
    border.color: Theme.border
    clip: true

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: Math.round(14 * BoardStyle.unit)
        spacing: Math.round(6 * BoardStyle.unit)
        Text {
            textFormat: Text.PlainText
            text: Board.labels.earlier.hi + "  ·  " + Board.labels.earlier.en
            color: Theme.muted
            font.pixelSize: BoardStyle.body
            font.weight: Font.Bold
        }
        GridLayout {
            id: grid
            columns: 2
            columnSpacing: BoardStyle.gap
            rowSpacing: BoardStyle.gap / 2
            Layout.fillWidth: true
            Layout.fillHeight: true
            Repeater {
                model: Board.calls
                delegate: Rectangle {
                    id: cell
                    required property var modelData
                    required property int index
                    objectName: "historyRow_" + index
                    radius: Math.round(10 * BoardStyle.unit)
                    color: Theme.page
                    Layout.fillWidth: true
                    Layout.preferredWidth: grid.width / 2
                    Layout.preferredHeight: Math.round(72 * BoardStyle.unit)
                    RowLayout {
                        anchors.fill: parent
                        anchors.leftMargin: BoardStyle.gap
                        anchors.rightMargin: BoardStyle.gap
                        spacing: BoardStyle.gap
                        Text {
                            textFormat: Text.PlainText
                            objectName: "historyToken_" + cell.index
                            text: cell.modelData.token
                            color: Theme.text
                            font.pixelSize: BoardStyle.historyToken
                            font.weight: Font.Bold
                            font.family: BoardStyle.latin
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: "→"
                            color: Theme.saffron
                            font.pixelSize: BoardStyle.large
                            font.family: BoardStyle.latin
                        }
                        BoardTwoLines {
                            hi: cell.modelData.counterHi
                            en: cell.modelData.counterEn
                            size: BoardStyle.small
                            bold: true
                            Layout.fillWidth: true
                        }
                    }
                }
            }
            Item { Layout.fillHeight: true; Layout.columnSpan: 2 }
        }
    }
}
