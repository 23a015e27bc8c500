import QtQuick
import QtQuick.Layouts
import ".."

// A labelled figure: "Waited  12:05".
ColumnLayout {
    id: fact
    property string label: ""
    property string value: ""
    spacing: 0
    Layout.fillWidth: true
    Text {
        textFormat: Text.PlainText
        text: fact.label
        color: Theme.muted
        font.pixelSize: CounterStyle.small
        elide: Text.ElideRight
        Layout.fillWidth: true
    }
    Text {
        textFormat: Text.PlainText
        objectName: fact.objectName + "Value"
        text: fact.value
        color: Theme.text
        font.pixelSize: CounterStyle.heading
        font.weight: Font.DemiBold
        font.family: "Noto Sans"
    }
}
