pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// The waiting list by group, live from the centre's event stream: how many wait (of them with
// priority), the longest wait so far and the centre's estimate. This counter's groups are marked.
Rectangle {
    id: panel
    objectName: "waitingPanel"
    radius: CounterStyle.radius
    color: Theme.card
    border.color: Theme.border

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 14
        spacing: 6
        RowLayout {
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: qsTr("Waiting")
                color: Theme.text
                font.pixelSize: CounterStyle.large
                font.weight: Font.Bold
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                objectName: "waitingTotal"
                text: qsTr("%1 in all").arg(CounterWaiting.totalWaiting)
                color: Theme.muted
                font.pixelSize: CounterStyle.body
            }
        }
        RowLayout {
            spacing: 6
            Layout.fillWidth: true
            Text { textFormat: Text.PlainText; text: qsTr("Group"); color: Theme.muted; font.pixelSize: CounterStyle.small; Layout.fillWidth: true }
            Text { textFormat: Text.PlainText; text: qsTr("Waiting"); color: Theme.muted; font.pixelSize: CounterStyle.small; Layout.preferredWidth: Math.round(70 * CounterStyle.scale); horizontalAlignment: Text.AlignRight }
            Text { textFormat: Text.PlainText; text: qsTr("Longest"); color: Theme.muted; font.pixelSize: CounterStyle.small; Layout.preferredWidth: Math.round(70 * CounterStyle.scale); horizontalAlignment: Text.AlignRight }
            Text { textFormat: Text.PlainText; text: qsTr("Estimate"); color: Theme.muted; font.pixelSize: CounterStyle.small; Layout.preferredWidth: Math.round(100 * CounterStyle.scale); horizontalAlignment: Text.AlignRight }
        }
        ListView {
            id: list
            objectName: "waitingList"
            clip: true
            spacing: 4
            model: CounterWaiting.groups
            Layout.fillWidth: true
            Layout.fillHeight: true
            delegate: Rectangle {
                id: row
                required property var modelData
                width: ListView.view.width
                height: Math.round(50 * CounterStyle.scale)
                radius: 6
                color: row.modelData.mine ? Theme.blueLight : "transparent"
                RowLayout {
                    anchors.fill: parent
                    anchors.leftMargin: 6
                    anchors.rightMargin: 6
                    spacing: 6
                    Rectangle {
                        Layout.preferredWidth: Math.round(32 * CounterStyle.scale)
                        Layout.preferredHeight: Layout.preferredWidth
                        radius: width / 2
                        color: Theme.blue
                        Text {
                            textFormat: Text.PlainText
                            anchors.centerIn: parent
                            text: row.modelData.group
                            color: "white"
                            font.pixelSize: CounterStyle.body
                            font.weight: Font.Bold
                            font.family: "Noto Sans"
                        }
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: row.modelData.name
                        color: Theme.text
                        font.pixelSize: CounterStyle.body
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    ColumnLayout {
                        spacing: 0
                        Layout.preferredWidth: Math.round(70 * CounterStyle.scale)
                        Text {
                            textFormat: Text.PlainText
                            objectName: "waitingCount_" + row.modelData.group
                            text: row.modelData.waiting
                            color: Theme.text
                            font.pixelSize: CounterStyle.large
                            font.weight: Font.Bold
                            font.family: "Noto Sans"
                            Layout.alignment: Qt.AlignRight
                        }
                        Text {
                            textFormat: Text.PlainText
                            visible: row.modelData.priorityWaiting > 0
                            text: qsTr("%1 priority").arg(row.modelData.priorityWaiting)
                            color: Theme.saffron
                            font.pixelSize: Math.round(13 * CounterStyle.scale)
                            Layout.alignment: Qt.AlignRight
                        }
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: row.modelData.longest
                        color: Theme.text
                        font.pixelSize: CounterStyle.body
                        font.family: "Noto Sans"
                        horizontalAlignment: Text.AlignRight
                        Layout.preferredWidth: Math.round(70 * CounterStyle.scale)
                    }
                    Text {
                        textFormat: Text.PlainText
                        text: row.modelData.estimate
                        color: Theme.muted
                        font.pixelSize: CounterStyle.small
                        horizontalAlignment: Text.AlignRight
                        elide: Text.ElideRight
                        Layout.preferredWidth: Math.round(100 * CounterStyle.scale)
                    }
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            visible: CounterWaiting.parked.length > 0
            text: qsTr("Parked")
            color: Theme.text
            font.pixelSize: CounterStyle.body
            font.weight: Font.Bold
        }
        Flow {
            visible: CounterWaiting.parked.length > 0
            spacing: 6
            Layout.fillWidth: true
            Repeater {
                model: CounterWaiting.parked
                delegate: CounterButton {
                    required property var modelData
                    objectName: "unpark_" + modelData.number
                    kind: "secondary"
                    text: qsTr("%1 — return").arg(modelData.number)
                    implicitHeight: Math.round(36 * CounterStyle.scale)
                    enabled: !CounterConsole.busy
                    onClicked: CounterConsole.unpark(modelData.id)
                }
            }
        }
    }
}
