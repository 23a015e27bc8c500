pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Transfer the token being served to another group or to a named counter; it keeps its
// original issue time there. Esc closes without transferring.
Popup {
    id: dialog
    objectName: "transferPopup"
    modal: true
    focus: true
    width: Math.round(720 * CounterStyle.scale)
    height: Math.min(parent ? parent.height - 32 : 560, contentCol.implicitHeight + 48)
    padding: 24
    closePolicy: Popup.CloseOnEscape
    background: Rectangle { radius: CounterStyle.radius; color: Theme.card; border.color: Theme.border }

    ColumnLayout {
        id: contentCol
        objectName: "transferDialog"
        anchors.fill: parent
        spacing: CounterStyle.gap
        Text {
            textFormat: Text.PlainText
            text: qsTr("Transfer %1").arg(CounterConsole.tokenNumber)
            color: Theme.text
            font.pixelSize: CounterStyle.heading
            font.weight: Font.Bold
        }
        Text {
            textFormat: Text.PlainText
            text: qsTr("The token keeps its place by its original issue time.")
            color: Theme.muted
            font.pixelSize: CounterStyle.body
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        RowLayout {
            spacing: CounterStyle.margin
            Layout.fillWidth: true
            Layout.fillHeight: true
            ColumnLayout {
                spacing: 8
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                Text { textFormat: Text.PlainText; text: qsTr("To a group"); color: Theme.text; font.pixelSize: CounterStyle.large; font.weight: Font.DemiBold }
                Repeater {
                    model: CounterConsole.transferGroups
                    delegate: CounterButton {
                        required property var modelData
                        objectName: "transferGroup_" + modelData.group
                        kind: "secondary"
                        text: modelData.group + " · " + modelData.name
                        enabled: modelData.group !== CounterConsole.group
                        Layout.fillWidth: true
                        onClicked: { dialog.close(); CounterConsole.transferToGroup(modelData.group) }
                    }
                }
            }
            ColumnLayout {
                spacing: 8
                Layout.fillWidth: true
                Layout.alignment: Qt.AlignTop
                Text { textFormat: Text.PlainText; text: qsTr("To a counter"); color: Theme.text; font.pixelSize: CounterStyle.large; font.weight: Font.DemiBold }
                Text {
                    textFormat: Text.PlainText
                    visible: CounterConsole.transferCounters.length === 0
                    text: qsTr("No other counter is set up.")
                    color: Theme.muted
                    font.pixelSize: CounterStyle.body
                }
                Repeater {
                    model: CounterConsole.transferCounters
                    delegate: CounterButton {
                        required property var modelData
                        objectName: "transferCounter_" + modelData.counter
                        kind: "secondary"
                        text: qsTr("Counter %1").arg(modelData.counter) + " · " + modelData.stateText
                        Layout.fillWidth: true
                        onClicked: { dialog.close(); CounterConsole.transferToCounter(modelData.counter) }
                    }
                }
            }
        }
        CounterButton {
            objectName: "transferCancel"
            kind: "secondary"
            text: qsTr("Cancel")
            keyText: "Esc"
            Layout.alignment: Qt.AlignRight
            onClicked: dialog.close()
        }
    }
}
