import QtQuick
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Now serving: the token in large type, its group and category, how long the citizen waited
// and how long this service has taken. On break, the card says so instead.
Rectangle {
    id: card
    objectName: "servingCard"
    radius: CounterStyle.radius
    color: CounterConsole.onBreak ? Theme.saffronLight : Theme.card
    border.color: CounterConsole.onBreak ? Theme.saffron : Theme.border
    border.width: CounterConsole.onBreak ? 2 : 1

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: 20
        spacing: 8
        RowLayout {
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: qsTr("Now serving")
                color: Theme.muted
                font.pixelSize: CounterStyle.large
                font.weight: Font.DemiBold
                Layout.fillWidth: true
            }
            Text {
                textFormat: Text.PlainText
                objectName: "servingGroups"
                visible: CounterConsole.servingGroups !== ""
                text: qsTr("Groups: %1").arg(CounterConsole.servingGroups)
                color: Theme.muted
                font.pixelSize: CounterStyle.body
            }
        }
        Item { Layout.fillHeight: true; visible: !CounterConsole.onBreak }
        Text {
            textFormat: Text.PlainText
            objectName: "breakNotice"
            visible: CounterConsole.onBreak
            text: qsTr("On break — press Resume (F7) to call tokens again.")
            color: Theme.saffron
            font.pixelSize: CounterStyle.heading
            font.weight: Font.Bold
            wrapMode: Text.WordWrap
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "servingToken"
            visible: CounterConsole.hasToken
            text: CounterConsole.tokenNumber
            color: Theme.blue
            font.pixelSize: CounterStyle.token
            font.weight: Font.Bold
            font.family: "Noto Sans"
            Layout.alignment: Qt.AlignHCenter
        }
        Text {
            textFormat: Text.PlainText
            objectName: "servingIdle"
            visible: !CounterConsole.hasToken && !CounterConsole.onBreak
            text: qsTr("Nobody is being served. Press Enter to call the next token.")
            color: Theme.muted
            font.pixelSize: CounterStyle.large
            wrapMode: Text.WordWrap
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }
        Text {
            textFormat: Text.PlainText
            objectName: "servingGroup"
            visible: CounterConsole.hasToken
            text: CounterConsole.groupName
            color: Theme.text
            font.pixelSize: CounterStyle.heading
            font.weight: Font.DemiBold
            elide: Text.ElideRight
            horizontalAlignment: Text.AlignHCenter
            Layout.fillWidth: true
        }
        Rectangle {
            visible: CounterConsole.hasToken
            Layout.alignment: Qt.AlignHCenter
            radius: 14
            color: CounterConsole.isPriority ? Theme.saffron : Theme.blueLight
            implicitHeight: Math.round(32 * CounterStyle.scale)
            implicitWidth: priorityLabel.implicitWidth + 28
            Text {
                textFormat: Text.PlainText
                id: priorityLabel
                objectName: "servingPriority"
                anchors.centerIn: parent
                text: CounterConsole.priorityText
                color: CounterConsole.isPriority ? "white" : Theme.blue
                font.pixelSize: CounterStyle.body
                font.weight: Font.DemiBold
            }
        }
        Item { Layout.fillHeight: true }
        RowLayout {
            visible: CounterConsole.hasToken
            spacing: CounterStyle.margin
            Layout.fillWidth: true
            CounterFact { label: qsTr("Waited"); value: CounterConsole.waited; objectName: "servingWaited" }
            CounterFact { label: qsTr("At the counter"); value: CounterConsole.elapsed; objectName: "servingElapsed" }
            CounterFact { label: qsTr("Recalls"); value: String(CounterConsole.recalls); objectName: "servingRecalls" }
        }
    }
}
