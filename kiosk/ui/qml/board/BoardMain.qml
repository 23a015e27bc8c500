import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Board
import ".."

// The waiting hall's TV: now calling, earlier calls, counters, waiting, Samadhan Ek Din and
// notices, in Hindi and English together; the "closed" screen outside hours. All state lives
// in the view-models (Board, BoardLink); this file only places it, landscape or portrait.
ApplicationWindow {
    id: root
    objectName: "boardWindow"
    title: "Seva Kiosk — board"
    visible: false            // Python shows it windowed or full-screen
    width: 1920
    height: 1080
    color: Theme.page
    font.family: Theme.fontFamily
    font.pixelSize: BoardStyle.body

    Binding {
        target: BoardStyle
        property: "portrait"
        value: root.height > root.width
    }
    Binding {
        target: BoardStyle
        property: "unit"
        value: root.height > root.width ? root.width / 1080
                                         : Math.min(root.width / 1920, root.height / 1080)
    }
    Binding {
        target: BoardStyle
        property: "screenHeight"
        value: root.height
    }

    ColumnLayout {
        anchors.fill: parent
        spacing: 0
        visible: !Board.closed
        BoardTopBar { Layout.fillWidth: true }
        GridLayout {
            columns: BoardStyle.portrait ? 1 : 2
            columnSpacing: BoardStyle.gap
            rowSpacing: BoardStyle.gap
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.margins: BoardStyle.margin
            ColumnLayout {
                spacing: BoardStyle.gap
                Layout.fillHeight: true
                Layout.fillWidth: true
                Layout.preferredWidth: BoardStyle.portrait ? root.width : root.width * 0.6
                BoardNowCalling {
                    Layout.fillWidth: true
                    Layout.preferredHeight: BoardStyle.portrait ? root.height * 0.34 : root.height * 0.36
                }
                BoardHistory {
                    Layout.fillWidth: true
                    Layout.fillHeight: !BoardStyle.portrait
                    Layout.preferredHeight: Math.round(290 * BoardStyle.unit)
                }
            }
            ColumnLayout {
                spacing: BoardStyle.gap
                Layout.fillHeight: true
                Layout.fillWidth: true
                Layout.preferredWidth: BoardStyle.portrait ? root.width : root.width * 0.4
                BoardCounters {
                    Layout.fillWidth: true
                    Layout.preferredHeight: implicitHeight
                }
                BoardWaiting {
                    Layout.fillWidth: true
                    Layout.fillHeight: true
                }
            }
        }
        BoardFooter {
            Layout.fillWidth: true
            Layout.leftMargin: BoardStyle.margin
            Layout.rightMargin: BoardStyle.margin
            Layout.bottomMargin: BoardStyle.margin
        }
    }

    BoardClosed {
        anchors.fill: parent
        visible: Board.closed
    }
}
