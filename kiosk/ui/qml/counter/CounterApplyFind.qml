pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// Finding an application (Ctrl+F): by number, token number or the mobile's last digits; its
// details, the documents seen (tick, then save) and a reprint of the acknowledgement. Every
// look-up is recorded by the centre. Esc closes and forgets. All state is in DeskFind.
Rectangle {
    id: find
    objectName: "deskFindScreen"
    color: Theme.page

    RowLayout {
        anchors.fill: parent
        anchors.margins: CounterStyle.margin
        spacing: CounterStyle.margin

        // -- search and matches --------------------------------------------------------------
        ColumnLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 2
            Text {
                textFormat: Text.PlainText
                text: qsTr("Find an application")
                color: Theme.text
                font.pixelSize: CounterStyle.heading
                font.weight: Font.Bold
            }
            TextField {
                id: query
                objectName: "deskFindQuery"
                placeholderText: qsTr("Application no., token no. or last digits of mobile")
                font.pixelSize: CounterStyle.body
                Layout.fillWidth: true
                Layout.preferredHeight: Math.round(44 * CounterStyle.scale)
                Component.onCompleted: forceActiveFocus()
                onAccepted: DeskFind.search(text)
            }
            ListView {
                id: results
                objectName: "deskFindResults"
                clip: true
                spacing: 4
                model: DeskFind.results
                Layout.fillWidth: true
                Layout.fillHeight: true
                delegate: Rectangle {
                    id: match
                    required property var modelData
                    width: ListView.view.width
                    height: col.implicitHeight + 12
                    radius: 6
                    color: match.modelData.selected ? Theme.blueLight : Theme.card
                    border.color: match.modelData.selected ? Theme.blue : Theme.border
                    ColumnLayout {
                        id: col
                        anchors.left: parent.left
                        anchors.right: parent.right
                        anchors.verticalCenter: parent.verticalCenter
                        anchors.margins: 8
                        spacing: 0
                        Text {
                            textFormat: Text.PlainText
                            text: match.modelData.number
                            color: Theme.blue
                            font.pixelSize: CounterStyle.body
                            font.weight: Font.DemiBold
                            font.family: "Noto Sans"
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: match.modelData.name + " · " + match.modelData.service
                            color: Theme.text
                            font.pixelSize: CounterStyle.small
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: [match.modelData.token, match.modelData.mobile, match.modelData.fee + (match.modelData.paid ? " ✓" : "")].filter(x => x !== "").join(" · ")
                            color: Theme.muted
                            font.pixelSize: CounterStyle.small
                        }
                    }
                    MouseArea {
                        anchors.fill: parent
                        onClicked: DeskFind.select(match.modelData.number)
                    }
                }
            }
            CounterMessage {
                baseName: "deskFindMessage"
                text: DeskFind.message
                otherText: DeskFind.messageOther
                kind: DeskFind.messageKind
                Layout.fillWidth: true
            }
            CounterButton {
                objectName: "deskFindClose"
                text: qsTr("Close")
                keyText: "Esc"
                kind: "secondary"
                Layout.preferredWidth: Math.round(180 * CounterStyle.scale)
                onClicked: DeskFind.close()
            }
        }

        // -- the application -----------------------------------------------------------------
        Rectangle {
            radius: CounterStyle.radius
            color: Theme.card
            border.color: Theme.border
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 3
            Text {
                textFormat: Text.PlainText
                visible: DeskFind.selected === ""
                anchors.centerIn: parent
                text: qsTr("Search, then choose an application.")
                color: Theme.muted
                font.pixelSize: CounterStyle.body
            }
            ColumnLayout {
                visible: DeskFind.selected !== ""
                anchors.fill: parent
                anchors.margins: CounterStyle.margin
                spacing: CounterStyle.gap
                Text {
                    textFormat: Text.PlainText
                    objectName: "deskFindSelected"
                    text: DeskFind.selected
                    color: Theme.blue
                    font.pixelSize: CounterStyle.large
                    font.weight: Font.Bold
                    font.family: "Noto Sans"
                }
                Repeater {
                    model: DeskFind.details
                    delegate: RowLayout {
                        id: detailRow
                        required property var modelData
                        spacing: CounterStyle.gap
                        Layout.fillWidth: true
                        Text {
                            textFormat: Text.PlainText
                            text: detailRow.modelData.label
                            color: Theme.muted
                            font.pixelSize: CounterStyle.small
                            Layout.preferredWidth: Math.round(190 * CounterStyle.scale)
                        }
                        Text {
                            textFormat: Text.PlainText
                            text: detailRow.modelData.value
                            color: Theme.text
                            font.pixelSize: CounterStyle.small
                            font.weight: Font.DemiBold
                            elide: Text.ElideRight
                            Layout.fillWidth: true
                        }
                    }
                }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Documents seen")
                    color: Theme.text
                    font.pixelSize: CounterStyle.body
                    font.weight: Font.Bold
                }
                Flow {
                    spacing: CounterStyle.gap
                    Layout.fillWidth: true
                    Repeater {
                        model: DeskFind.checklist
                        delegate: CheckBox {
                            id: seen
                            required property var modelData
                            objectName: "deskSeen_" + seen.modelData.key
                            text: seen.modelData.name
                            checked: seen.modelData.seen
                            font.pixelSize: CounterStyle.small
                            onToggled: DeskFind.toggleSeen(seen.modelData.key)
                        }
                    }
                }
                Item { Layout.fillHeight: true }
                RowLayout {
                    spacing: CounterStyle.gap
                    Layout.fillWidth: true
                    CounterButton {
                        objectName: "deskSaveSeenButton"
                        text: qsTr("Save documents seen")
                        kind: "secondary"
                        enabled: !DeskFind.busy
                        Layout.fillWidth: true
                        onClicked: DeskFind.saveSeen()
                    }
                    CounterButton {
                        objectName: "deskReprintButton"
                        text: qsTr("Reprint acknowledgement")
                        keyText: "Ctrl+P"
                        enabled: !DeskFind.busy
                        Layout.fillWidth: true
                        onClicked: DeskFind.reprint()
                    }
                }
            }
        }
    }

    Shortcut { sequence: "Escape"; onActivated: DeskFind.close() }
    Shortcut { sequence: "Ctrl+P"; enabled: DeskFind.selected !== "" && !DeskFind.busy; onActivated: DeskFind.reprint() }
}
