import QtQuick
import QtQuick.Layouts
import Kiosk

// "Step 2 of 6" with one segment per step: a first-time user sees how much is left.
Rectangle {
    id: progress
    color: Theme.card
    implicitHeight: 84
    RowLayout {
        anchors.fill: parent
        anchors.leftMargin: Theme.margin
        anchors.rightMargin: Theme.margin
        spacing: 28
        Text {
            textFormat: Text.PlainText
            objectName: "progressText"
            text: qsTr("Step %1 of %2").arg(Apply.progressIndex).arg(Apply.progressTotal)
            color: Theme.blue
            font.pixelSize: Theme.bodySize
            font.weight: Font.Bold
        }
        Row {
            Layout.fillWidth: true
            Layout.alignment: Qt.AlignVCenter
            spacing: 10
            Repeater {
                model: Apply.progressTotal
                Rectangle {
                    required property int index
                    width: (parent.width - (Apply.progressTotal - 1) * 10) / Math.max(1, Apply.progressTotal)
                    height: 16
                    radius: 8
                    color: index < Apply.progressIndex ? Theme.saffron : Theme.disabledBg
                }
            }
        }
    }
    Rectangle { anchors { left: parent.left; right: parent.right; bottom: parent.bottom } height: 2; color: Theme.border }
}
