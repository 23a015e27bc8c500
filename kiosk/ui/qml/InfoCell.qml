import QtQuick
import QtQuick.Layouts

// A white card with a small label over a large value ("People ahead of you" / "4").
Rectangle {
    id: cell
    property string label: ""
    property string value: ""
    property int valueSize: Theme.headingSize
    radius: Theme.radius
    color: Theme.card
    border.color: Theme.border
    border.width: 2
    implicitHeight: col.implicitHeight + 40
    implicitWidth: 300
    ColumnLayout {
        id: col
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: 28; rightMargin: 28 }
        spacing: 4
        Text {
            textFormat: Text.PlainText
            text: cell.label
            color: Theme.muted
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            text: cell.value
            color: Theme.text
            font.pixelSize: cell.valueSize
            font.weight: Font.Bold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
