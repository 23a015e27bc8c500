import QtQuick
import QtQuick.Layouts

// One fact on a result card: a small label, the value, and optionally the value in the other
// language beneath (a service's name is read in both).
Rectangle {
    id: fact
    property string label: ""
    property string value: ""
    property string valueOther: ""
    property string valueName: ""          // objectName of the value text, for tests
    property int valueSize: Theme.largeSize
    property bool latinValue: false        // numbers and codes: Noto Sans, no Devanagari needed
    radius: 18
    color: Theme.page
    implicitHeight: col.implicitHeight + 28
    implicitWidth: 300

    ColumnLayout {
        id: col
        anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                  leftMargin: 22; rightMargin: 22 }
        spacing: 2
        Text {
            textFormat: Text.PlainText
            text: fact.label
            color: Theme.muted
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: fact.valueName
            text: fact.value
            color: Theme.text
            font.family: fact.latinValue ? "Noto Sans" : Theme.fontFamily
            font.pixelSize: fact.valueSize
            font.weight: Font.Bold
            wrapMode: Text.WrapAtWordBoundaryOrAnywhere
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            visible: fact.valueOther !== "" && fact.valueOther !== fact.value
            text: fact.valueOther
            color: Theme.muted
            font.pixelSize: Theme.smallSize
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
    }
}
