pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// How many wait in each group and about how long, from the centre's own estimate.
Rectangle {
    id: panel
    objectName: "waiting"
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
            text: Board.labels.waiting.hi + "  ·  " + Board.labels.waiting.en
            color: Theme.muted
            font.pixelSize: BoardStyle.body
            font.weight: Font.Bold
        }
        GridLayout {
            columns: BoardStyle.portrait ? 2 : 1
            columnSpacing: BoardStyle.gap * 2
            rowSpacing: Math.round(4 * BoardStyle.unit)
            Layout.fillWidth: true
        Repeater {
            model: Board.groups
            delegate: RowLayout {
                id: row
                required property var modelData
                spacing: BoardStyle.gap
                Layout.fillWidth: true
                Layout.preferredWidth: 1
                Layout.preferredHeight: Math.round((BoardStyle.portrait ? 84 : 54) * BoardStyle.unit)
                Rectangle {
                    Layout.preferredWidth: Math.round(46 * BoardStyle.unit)
                    Layout.preferredHeight: Layout.preferredWidth
                    radius: width / 2
                    color: Theme.blue
                    Text {
                        textFormat: Text.PlainText
                        anchors.centerIn: parent
                        text: row.modelData.group
                        color: "white"
                        font.pixelSize: BoardStyle.body
                        font.weight: Font.Bold
                        font.family: BoardStyle.latin
                    }
                }
                ColumnLayout {
                    spacing: 0
                    Layout.fillWidth: true
                    BoardTwoLines {
                        hi: row.modelData.nameHi
                        en: row.modelData.nameEn
                        size: BoardStyle.small
                        Layout.fillWidth: true
                    }
                    // Portrait: the estimate under the name (the column is too narrow for both).
                    Text {
                        textFormat: Text.PlainText
                        visible: BoardStyle.portrait && row.modelData.waitHi !== ""
                        text: row.modelData.waitHi + " · " + row.modelData.waitEn
                        color: Theme.muted
                        font.pixelSize: Math.round(BoardStyle.small * 0.8)
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                }
                BoardTwoLines {
                    visible: !BoardStyle.portrait
                    hi: row.modelData.waitHi
                    en: row.modelData.waitEn
                    size: Math.round(BoardStyle.small * 0.9)
                    color: Theme.muted
                    align: Text.AlignRight
                    Layout.preferredWidth: Math.round(175 * BoardStyle.unit)
                }
                Text {
                    textFormat: Text.PlainText
                    objectName: "waitingCount_" + row.modelData.group
                    text: row.modelData.waiting
                    color: Theme.text
                    font.pixelSize: BoardStyle.large
                    font.weight: Font.Bold
                    font.family: BoardStyle.latin
                    horizontalAlignment: Text.AlignRight
                    Layout.preferredWidth: Math.round(56 * BoardStyle.unit)
                }
            }
        }
        }
        Item { Layout.fillHeight: true }
    }
}
