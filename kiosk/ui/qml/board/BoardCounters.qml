pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// Each counter with what it is serving now (or free, on a break, closed).
Rectangle {
    id: panel
    objectName: "counters"
    radius: BoardStyle.radius
    color: Theme.card
    border.color: Theme.border
    clip: true

    implicitHeight: column.implicitHeight + 2 * Math.round(14 * BoardStyle.unit)

    ColumnLayout {
        id: column
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.top: parent.top
        anchors.margins: Math.round(14 * BoardStyle.unit)
        spacing: Math.round(6 * BoardStyle.unit)
        Text {
            textFormat: Text.PlainText
            text: Board.labels.counters.hi + "  ·  " + Board.labels.counters.en
            color: Theme.muted
            font.pixelSize: BoardStyle.body
            font.weight: Font.Bold
        }
        GridLayout {
            columns: BoardStyle.portrait || Board.counters.length > 5 ? 2 : 1
            columnSpacing: Math.round(8 * BoardStyle.unit)
            rowSpacing: Math.round(6 * BoardStyle.unit)
            Layout.fillWidth: true
        Repeater {
            model: Board.counters
            delegate: Rectangle {
                id: row
                required property var modelData
                objectName: "counterRow_" + modelData.counter
                radius: Math.round(10 * BoardStyle.unit)
                color: row.modelData.token !== "" ? Theme.blueLight : Theme.page
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: Math.round(54 * BoardStyle.unit)
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: BoardStyle.gap
                    anchors.rightMargin: BoardStyle.gap
                    spacing: BoardStyle.gap
                    BoardTwoLines {
                        hi: row.modelData.nameHi
                        en: row.modelData.nameEn
                        size: Math.round(BoardStyle.small * 0.9)
                        bold: true
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "counterToken_" + row.modelData.counter
                        visible: row.modelData.token !== ""
                        text: row.modelData.token
                        color: Theme.blueDark
                        font.pixelSize: BoardStyle.large
                        font.weight: Font.Bold
                        font.family: BoardStyle.latin
                    }
                    BoardTwoLines {
                        visible: row.modelData.token === ""
                        hi: row.modelData.stateHi
                        en: row.modelData.stateEn
                        size: BoardStyle.small
                        color: row.modelData.state === "open" ? Theme.green : Theme.muted
                        align: Text.AlignRight
                        Layout.preferredWidth: Math.round(200 * BoardStyle.unit)
                    }
                }
            }
        }
        }
    }
}
