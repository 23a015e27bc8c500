import QtQuick
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// This counter's figures today, from the centre service.
Rectangle {
    objectName: "figuresPanel"
    radius: CounterStyle.radius
    color: Theme.card
    border.color: Theme.border
    implicitHeight: col.implicitHeight + 24
    ColumnLayout {
        id: col
        anchors.fill: parent
        anchors.margins: 12
        spacing: 4
        Text {
            textFormat: Text.PlainText
            text: qsTr("This counter today")
            color: Theme.text
            font.pixelSize: CounterStyle.body
            font.weight: Font.Bold
        }
        RowLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            CounterFact { objectName: "figureServed"; label: qsTr("Served"); value: String(CounterConsole.served) }
            CounterFact { objectName: "figureNoShow"; label: qsTr("Not present"); value: String(CounterConsole.noShows) }
            CounterFact { objectName: "figureTransferred"; label: qsTr("Transferred"); value: String(CounterConsole.transferred) }
            CounterFact { objectName: "figureAverage"; label: qsTr("Average service"); value: CounterConsole.avgService }
        }
    }
}
