import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// The operator's desk: who is being served and the actions on the left, the waiting list and
// today's figures on the right. Every action has a key (Enter = call next, F-keys for the rest).
Item {
    id: screen
    objectName: "counterConsoleScreen"
    readonly property bool keysEnabled: !transferDialog.visible && !CounterConsole.busy && !cashPanel.typing
                                        && !CounterDayEnd.visible

    RowLayout {
        anchors.fill: parent
        anchors.margins: CounterStyle.margin
        anchors.bottomMargin: CounterLogin.countdownVisible ? Math.round(64 * CounterStyle.scale) : CounterStyle.margin
        spacing: CounterStyle.margin

        ColumnLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 3

            CounterServingCard {
                Layout.fillWidth: true
                Layout.fillHeight: true
            }

            GridLayout {
                columns: 4
                rowSpacing: CounterStyle.gap
                columnSpacing: CounterStyle.gap
                Layout.fillWidth: true
                CounterButton {
                    objectName: "callNextButton"
                    text: qsTr("Call next")
                    keyText: "Enter"
                    kind: "green"
                    textSize: CounterStyle.large
                    enabled: !CounterConsole.busy
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                    Layout.preferredWidth: 200 + CounterStyle.gap
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.callNext()
                }
                CounterButton {
                    objectName: "recallButton"
                    text: qsTr("Recall")
                    keyText: "F2"
                    enabled: !CounterConsole.busy && CounterConsole.hasToken
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.recall()
                }
                CounterButton {
                    objectName: "transferButton"
                    text: qsTr("Transfer")
                    keyText: "F3"
                    enabled: !CounterConsole.busy && CounterConsole.hasToken
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: transferDialog.open()
                }
                CounterButton {
                    objectName: "parkButton"
                    text: qsTr("Park")
                    keyText: "F4"
                    kind: "secondary"
                    enabled: !CounterConsole.busy && CounterConsole.hasToken
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.park()
                }
                CounterButton {
                    objectName: "noShowButton"
                    text: qsTr("Not present")
                    keyText: "F5"
                    kind: "danger"
                    enabled: !CounterConsole.busy && CounterConsole.hasToken
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.noShow()
                }
                CounterButton {
                    objectName: "completeButton"
                    text: qsTr("Complete")
                    keyText: "F6"
                    kind: "green"
                    enabled: !CounterConsole.busy && CounterConsole.hasToken
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.complete()
                }
                CounterButton {
                    objectName: "breakButton"
                    text: CounterConsole.onBreak ? qsTr("Resume") : qsTr("Break")
                    keyText: "F7"
                    kind: "saffron"
                    enabled: !CounterConsole.busy
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.preferredHeight: CounterStyle.actionHeight
                    onClicked: CounterConsole.toggleBreak()
                }
            }

            RowLayout {  // the desk: applications (desk-apply)
                spacing: CounterStyle.gap
                Layout.fillWidth: true
                CounterButton {
                    objectName: "newApplicationButton"
                    text: qsTr("New application")
                    keyText: "Ctrl+N"
                    enabled: CounterConsole.hasToken && !CounterConsole.busy
                    Layout.fillWidth: true
                    onClicked: DeskWizard.start()
                }
                CounterButton {
                    objectName: "findApplicationButton"
                    text: qsTr("Find application")
                    keyText: "Ctrl+F"
                    kind: "secondary"
                    Layout.fillWidth: true
                    onClicked: DeskFind.open()
                }
            }

            // A citizen at a kiosk pressed "call staff" (kiosk/ui/counter/help_calls.py).
            Rectangle {
                objectName: "helpCalls"
                visible: CounterHelp.calls.length > 0
                Layout.fillWidth: true
                implicitHeight: helpRow.implicitHeight + 20
                radius: CounterStyle.radius
                color: Theme.saffronLight
                border.width: 2
                border.color: Theme.saffron
                RowLayout {
                    id: helpRow
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              margins: 12 }
                    spacing: 12
                    ColumnLayout {
                        spacing: 2
                        Layout.fillWidth: true
                        Repeater {
                            model: CounterHelp.calls
                            Text {
                                required property string modelData
                                textFormat: Text.PlainText
                                text: modelData
                                color: "#7A3A00"
                                font.pixelSize: CounterStyle.body
                                font.weight: Font.DemiBold
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                        }
                    }
                    CounterButton {
                        objectName: "helpGoing"
                        text: qsTr("Going")
                        kind: "secondary"
                        onClicked: CounterHelp.going()
                    }
                }
            }

            CounterMessage {
                baseName: "consoleMessage"
                text: CounterConsole.message
                otherText: CounterConsole.messageOther
                kind: CounterConsole.messageKind
                Layout.fillWidth: true
            }
        }

        ColumnLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 2
            CounterWaitingPanel {
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
            CounterFigures {
                Layout.fillWidth: true
            }
            CounterButton {
                objectName: "dayEndButton"
                text: qsTr("Day-end")
                keyText: "Ctrl+D"
                kind: "secondary"
                Layout.fillWidth: true
                onClicked: CounterDayEnd.open()
            }
            CounterCashPanel { id: cashPanel; Layout.fillWidth: true }  // desk-cash
        }
    }

    CounterTransferDialog {
        id: transferDialog
        anchors.centerIn: parent
    }
    CounterDayEndScreen { anchors.centerIn: parent }

    // the desk's application wizard and find screen (desk-apply): CounterMain shows them
    Shortcut { sequence: "Ctrl+N"; enabled: screen.keysEnabled; onActivated: DeskWizard.start() }
    Shortcut { sequence: "Ctrl+F"; enabled: screen.keysEnabled; onActivated: DeskFind.open() }

    Shortcut { sequences: ["Return", "Enter"]; enabled: screen.keysEnabled; onActivated: CounterConsole.callNext() }
    Shortcut { sequence: "F2"; enabled: screen.keysEnabled; onActivated: CounterConsole.recall() }
    Shortcut {
        sequence: "F3"
        enabled: screen.keysEnabled && CounterConsole.hasToken
        onActivated: transferDialog.open()
    }
    Shortcut { sequence: "F4"; enabled: screen.keysEnabled; onActivated: CounterConsole.park() }
    Shortcut { sequence: "F5"; enabled: screen.keysEnabled; onActivated: CounterConsole.noShow() }
    Shortcut { sequence: "F6"; enabled: screen.keysEnabled; onActivated: CounterConsole.complete() }
    Shortcut { sequence: "F7"; enabled: screen.keysEnabled; onActivated: CounterConsole.toggleBreak() }
    Shortcut { sequence: "Ctrl+D"; enabled: !transferDialog.visible; onActivated: CounterDayEnd.toggle() }
}
