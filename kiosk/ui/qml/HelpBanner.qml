import QtQuick
import QtQuick.Layouts
import Kiosk

// After "call staff": someone is coming (or, when the counters could not be told, go to one).
// Over the bottom of every screen, in the citizen's language and the other one, until tapped.
Rectangle {
    id: banner
    objectName: "helpBanner"
    visible: Help.state !== ""
    readonly property bool bad: Help.state === "unreachable"
    radius: Theme.radius
    color: bad ? Theme.saffronLight : Theme.greenLight
    border.width: 3
    border.color: bad ? Theme.saffron : Theme.green
    implicitHeight: row.implicitHeight + 40
    RowLayout {
        id: row
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: 28; rightMargin: 20 }
        spacing: 20
        Icon {
            name: "help"
            color: banner.bad ? "#8A4500" : Theme.green
            Layout.preferredWidth: 72
            Layout.preferredHeight: 72
        }
        ColumnLayout {
            spacing: 4
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                objectName: "helpText"
                text: Help.text
                color: banner.bad ? "#7A3A00" : Theme.green
                font.pixelSize: Theme.bodySize
                font.weight: Font.Bold
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                visible: Help.textOther !== Help.text
                text: Help.textOther
                color: banner.bad ? "#7A3A00" : Theme.green
                font.pixelSize: Theme.smallSize
                wrapMode: Text.WordWrap
                Layout.fillWidth: true
            }
        }
        KioskButton {
            objectName: "helpDismiss"
            kind: "secondary"
            text: qsTr("OK")
            textSize: Theme.bodySize
            visible: Help.state !== "asking"
            Layout.preferredWidth: 160
            onClicked: Help.dismiss()
        }
    }
}
