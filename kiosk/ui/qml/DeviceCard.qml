import QtQuick
import QtQuick.Layouts
import Kiosk

// One device on the diagnostics screen: name and coloured state, where it is connected, ids,
// the per-kind facts, the last error, the last self-test result, and the buttons to test or
// reset it. `row` is one entry of Diagnostics.devices.
Rectangle {
    id: card
    property var row: ({})
    property bool compact: false          // landscape: less air, so three rows fit
    readonly property int pad: compact ? 12 : 20
    readonly property color stateColor: {
        switch (row.state) {
        case "online": return Theme.green
        case "busy": return Theme.blue
        case "user_error": return Theme.saffron
        case "disabled": return Theme.disabledText
        default: return Theme.danger          // offline, no_device, hardware_error
        }
    }
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.border
    border.width: 2
    implicitHeight: Math.max(info.implicitHeight, buttons.implicitHeight) + 2 * pad

    Rectangle {   // the state at a glance, down the left edge
        width: 14
        radius: 7
        color: card.stateColor
        anchors { left: parent.left; top: parent.top; bottom: parent.bottom; margins: 14 }
    }

    ColumnLayout {
        id: info
        anchors { left: parent.left; right: buttons.left; top: parent.top
                  leftMargin: 44; rightMargin: 20; topMargin: card.pad }
        spacing: 4
        RowLayout {
            Layout.fillWidth: true
            spacing: 16
            Text {
                textFormat: Text.PlainText
                text: card.row.title
                color: Theme.text
                font.pixelSize: Theme.bodySize
                font.weight: Font.Bold
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
            Rectangle {
                objectName: "deviceState_" + card.row.name
                property string stateKey: card.row.state
                property string text: card.row.stateText
                radius: height / 2
                color: card.stateColor
                implicitWidth: chipText.implicitWidth + 32
                implicitHeight: chipText.implicitHeight + 8
                Text {
                    textFormat: Text.PlainText
                    id: chipText
                    anchors.centerIn: parent
                    text: card.row.stateText
                    color: "white"
                    font.pixelSize: Theme.smallSize
                    font.weight: Font.Bold
                }
            }
        }
        Text {
            textFormat: Text.PlainText
            text: card.row.url + (card.row.ids ? "  ·  " + card.row.ids : "")
            color: Theme.muted
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
            maximumLineCount: 2
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "deviceDetail_" + card.row.name
            visible: text !== ""
            text: card.row.detail
            color: card.row.warn ? "#9A4A00" : Theme.text
            font.pixelSize: Theme.smallSize
            font.weight: card.row.warn ? Font.Bold : Font.Normal
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "deviceError_" + card.row.name
            visible: text !== ""
            text: card.row.lastError ? qsTr("Last error: %1").arg(card.row.lastError) : ""
            color: Theme.danger
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WrapAnywhere
            maximumLineCount: 3
            elide: Text.ElideRight
            Layout.fillWidth: true
        }
        Rectangle {
            visible: card.row.hasResult
            Layout.fillWidth: true
            Layout.topMargin: 6
            implicitHeight: resultText.implicitHeight + 16
            radius: 12
            color: card.row.running ? Theme.blueLight
                 : card.row.resultOk ? Theme.greenLight : Theme.dangerLight
            Text {
                textFormat: Text.PlainText
                id: resultText
                objectName: "deviceResult_" + card.row.name
                anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                          leftMargin: 14; rightMargin: 14 }
                text: card.row.resultText
                color: card.row.running ? Theme.blue
                     : card.row.resultOk ? Theme.green : Theme.danger
                font.pixelSize: Theme.smallSize
                font.weight: Font.DemiBold
                wrapMode: Text.WrapAtWordBoundaryOrAnywhere
            }
        }
    }

    ColumnLayout {
        id: buttons
        anchors { right: parent.right; top: parent.top; rightMargin: 20; topMargin: card.pad }
        width: 250
        spacing: card.compact ? 10 : 14
        KioskButton {
            objectName: "deviceTest_" + card.row.name
            text: card.row.testLabel
            textSize: Theme.smallSize
            enabled: card.row.enabled && !card.row.running
            Layout.fillWidth: true
            Layout.preferredHeight: card.compact ? 80 : 88
            onClicked: Diagnostics.runTest(card.row.name)
        }
        KioskButton {
            objectName: "deviceReset_" + card.row.name
            kind: "secondary"
            text: qsTr("Reconnect")
            textSize: Theme.smallSize
            enabled: card.row.enabled && !card.row.running
            Layout.fillWidth: true
            Layout.preferredHeight: card.compact ? 68 : 80
            onClicked: Diagnostics.resetDevice(card.row.name)
        }
    }
}
