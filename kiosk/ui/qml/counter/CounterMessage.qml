import QtQuick
import QtQuick.Layouts
import ".."

// A message in the console's language with the other language below it: refusals come from
// the centre service in both, and the next operator at this desk may read the other one.
Rectangle {
    id: box
    property string text: ""
    property string otherText: ""
    property string kind: "info"            // info | done | error
    property string baseName: "message"
    visible: text !== ""
    radius: CounterStyle.radius
    color: kind === "error" ? Theme.dangerLight : kind === "done" ? Theme.greenLight : Theme.blueLight
    border.width: 1
    border.color: kind === "error" ? Theme.danger : kind === "done" ? Theme.green : Theme.border
    implicitHeight: col.implicitHeight + 20
    ColumnLayout {
        id: col
        anchors.left: parent.left
        anchors.right: parent.right
        anchors.verticalCenter: parent.verticalCenter
        anchors.margins: 12
        spacing: 2
        Text {
            textFormat: Text.PlainText
            objectName: box.baseName
            text: box.text
            color: box.kind === "error" ? Theme.danger : Theme.text
            font.pixelSize: CounterStyle.body
            font.weight: Font.DemiBold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: box.baseName + "Other"
            visible: box.otherText !== "" && box.otherText !== box.text
            text: box.otherText
            color: Theme.muted
            font.pixelSize: CounterStyle.small
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
