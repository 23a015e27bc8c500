pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Waits by hour: one bar per hour of the day, its height the average wait of the tokens issued
// in that hour (people would rather look than read). Drawn with Rectangles, not an image, so
// it scales with the window and follows the language switch.
Rectangle {
    id: chart
    objectName: "dayEndChart"
    radius: CounterStyle.radius
    color: Theme.card
    border.color: Theme.border
    implicitHeight: Math.round(260 * CounterStyle.scale)

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 12
        spacing: 6
        Text {
            textFormat: Text.PlainText
            text: qsTr("Average wait by hour of issue")
            color: Theme.text
            font.pixelSize: CounterStyle.body
            font.weight: Font.Bold
        }
        Text {
            textFormat: Text.PlainText
            objectName: "dayEndChartEmpty"
            visible: CounterDayEnd.hourBars.length === 0
            text: qsTr("No tokens yet today.")
            color: Theme.muted
            font.pixelSize: CounterStyle.body
        }
        Item {
            id: plot
            Layout.fillWidth: true
            Layout.fillHeight: true
            readonly property int labelHeight: Math.round(22 * CounterStyle.scale)
            Row {
                id: bars
                anchors.fill: parent
                spacing: Math.round(8 * CounterStyle.scale)
                readonly property int count: Math.max(1, CounterDayEnd.hourBars.length)
                Repeater {
                    model: CounterDayEnd.hourBars
                    delegate: Item {
                        id: slot
                        required property var modelData
                        required property int index
                        objectName: "dayEndBar_" + modelData.hour
                        width: Math.min(Math.round(80 * CounterStyle.scale),
                                        (bars.width - bars.spacing * (bars.count - 1)) / bars.count)
                        height: bars.height
                        readonly property real room: height - 2 * plot.labelHeight
                        Text {
                            textFormat: Text.PlainText
                            anchors.horizontalCenter: parent.horizontalCenter
                            y: bar.y - height - 2
                            text: slot.modelData.label
                            color: Theme.text
                            font.pixelSize: CounterStyle.small
                            font.family: "Noto Sans"
                        }
                        Rectangle {
                            id: bar
                            objectName: "dayEndBarFill_" + slot.modelData.hour
                            anchors.horizontalCenter: parent.horizontalCenter
                            width: parent.width * 0.7
                            height: Math.max(3, slot.room * slot.modelData.fraction * 0.85)
                            y: slot.height - plot.labelHeight - height
                            radius: 3
                            color: slot.modelData.fraction > 0.8 ? Theme.saffron : Theme.blue
                        }
                        Text {
                            textFormat: Text.PlainText
                            anchors.horizontalCenter: parent.horizontalCenter
                            anchors.bottom: parent.bottom
                            text: slot.modelData.hour + ":00"
                            color: Theme.muted
                            font.pixelSize: CounterStyle.small
                            font.family: "Noto Sans"
                        }
                    }
                }
            }
        }
    }
}
