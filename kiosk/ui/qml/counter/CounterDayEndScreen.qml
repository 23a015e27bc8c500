pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// The operator's day-end (Ctrl+D): the expected cash, the count typed on the keyboard, the
// difference in colour and in words, the supervisor's approval when it is not zero, the day's
// figures and the waits by hour; print it on the counter's printer. Esc goes back.
Popup {
    id: panel
    objectName: "dayEndPopup"
    modal: true
    focus: true
    visible: CounterDayEnd.visible
    width: parent ? parent.width - 2 * CounterStyle.margin : 1300
    height: parent ? parent.height - 2 * CounterStyle.margin : 720
    padding: CounterStyle.margin
    closePolicy: Popup.CloseOnEscape
    onClosed: CounterDayEnd.close()
    onOpened: countField.forceActiveFocus()
    background: Rectangle { radius: CounterStyle.radius; color: Theme.page; border.color: Theme.border }

    readonly property color diffColour: CounterDayEnd.differenceKind === "zero" ? Theme.green
                                      : CounterDayEnd.differenceKind === "short" ? Theme.danger
                                      : CounterDayEnd.differenceKind === "over" ? Theme.saffron
                                      : Theme.muted
    readonly property bool editable: CounterDayEnd.state !== "closed" && !CounterDayEnd.dayClosed

    function closeMine() {
        CounterDayEnd.closeDayEnd(supervisorField.text, supervisorPin.text, noteField.text)
        supervisorPin.text = ""
    }

    RowLayout {
        objectName: "dayEndScreen"
        anchors.fill: parent
        spacing: CounterStyle.margin

        // -- the count ------------------------------------------------------------------------
        ColumnLayout {
            spacing: CounterStyle.gap
            Layout.fillHeight: true
            Layout.preferredWidth: 5
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: qsTr("Day-end · Counter %1").arg(CounterShell.counter) + " · " + CounterLogin.operatorId
                color: Theme.text
                font.pixelSize: CounterStyle.heading
                font.weight: Font.Bold
            }
            Text {
                textFormat: Text.PlainText
                objectName: "dayEndState"
                text: CounterDayEnd.stateText
                color: CounterDayEnd.state === "closed" ? Theme.green : Theme.muted
                font.pixelSize: CounterStyle.body
                font.weight: Font.DemiBold
            }
            Rectangle {
                radius: CounterStyle.radius
                color: Theme.card
                border.color: Theme.border
                Layout.fillWidth: true
                implicitHeight: cashGrid.implicitHeight + 24
                GridLayout {
                    id: cashGrid
                    anchors.fill: parent
                    anchors.margins: 12
                    columns: 2
                    rowSpacing: 8
                    columnSpacing: CounterStyle.margin
                    Text { textFormat: Text.PlainText; text: qsTr("Expected cash"); color: Theme.muted; font.pixelSize: CounterStyle.body }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "dayEndExpected"
                        text: CounterDayEnd.expectedText
                        color: Theme.text
                        font.pixelSize: CounterStyle.heading
                        font.weight: Font.Bold
                        font.family: "Noto Sans"
                        Layout.alignment: Qt.AlignRight
                    }
                    Text { textFormat: Text.PlainText; text: qsTr("Counted cash (₹)"); color: Theme.muted; font.pixelSize: CounterStyle.body }
                    TextField {
                        id: countField
                        objectName: "dayEndCountField"
                        enabled: panel.editable && !CounterDayEnd.busy
                        text: CounterDayEnd.countText
                        placeholderText: qsTr("e.g. 1250.50")
                        inputMethodHints: Qt.ImhFormattedNumbersOnly
                        horizontalAlignment: TextInput.AlignRight
                        font.pixelSize: CounterStyle.heading
                        font.family: "Noto Sans"
                        Layout.fillWidth: true
                        Layout.preferredHeight: CounterStyle.control + 8
                        onTextEdited: CounterDayEnd.setCount(text)
                        onAccepted: CounterDayEnd.declare()
                        KeyNavigation.tab: supervisorField.visible ? supervisorField : noteField
                    }
                    Text { textFormat: Text.PlainText; text: qsTr("Difference"); color: Theme.muted; font.pixelSize: CounterStyle.body }
                    Text {
                        textFormat: Text.PlainText
                        objectName: "dayEndDifference"
                        text: CounterDayEnd.differenceText
                        color: panel.diffColour
                        font.pixelSize: CounterStyle.heading
                        font.weight: Font.Bold
                        font.family: "Noto Sans"
                        Layout.alignment: Qt.AlignRight
                    }
                }
            }
            Rectangle {
                objectName: "dayEndDifferenceBox"
                visible: CounterDayEnd.differenceKind !== "none"
                radius: CounterStyle.radius
                color: CounterDayEnd.differenceKind === "zero" ? Theme.greenLight
                     : CounterDayEnd.differenceKind === "short" ? Theme.dangerLight : Theme.saffronLight
                border.color: panel.diffColour
                border.width: 2
                Layout.fillWidth: true
                implicitHeight: diffWords.implicitHeight + 20
                Text {
                    id: diffWords
                    textFormat: Text.PlainText
                    objectName: "dayEndDifferenceWords"
                    anchors.fill: parent
                    anchors.margins: 10
                    verticalAlignment: Text.AlignVCenter
                    text: CounterDayEnd.differenceWords
                    color: panel.diffColour
                    font.pixelSize: CounterStyle.large
                    font.weight: Font.DemiBold
                    wrapMode: Text.WordWrap
                }
            }
            // The supervisor walks over and types their ID and PIN: only for a difference.
            GridLayout {
                objectName: "dayEndSupervisor"
                visible: CounterDayEnd.needsSupervisor
                columns: 2
                rowSpacing: 6
                columnSpacing: CounterStyle.gap
                Layout.fillWidth: true
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("The difference needs a supervisor's approval.")
                    color: Theme.danger
                    font.pixelSize: CounterStyle.body
                    font.weight: Font.DemiBold
                    wrapMode: Text.WordWrap
                    Layout.columnSpan: 2
                    Layout.fillWidth: true
                }
                TextField {
                    id: supervisorField
                    objectName: "dayEndSupervisorId"
                    placeholderText: qsTr("Supervisor ID")
                    font.pixelSize: CounterStyle.body
                    Layout.fillWidth: true
                    KeyNavigation.tab: supervisorPin
                }
                TextField {
                    id: supervisorPin
                    objectName: "dayEndSupervisorPin"
                    placeholderText: qsTr("Supervisor PIN")
                    echoMode: TextInput.Password
                    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhSensitiveData
                    font.pixelSize: CounterStyle.body
                    Layout.fillWidth: true
                    KeyNavigation.tab: noteField
                    onAccepted: panel.closeMine()
                }
            }
            TextField {
                id: noteField
                objectName: "dayEndNote"
                visible: panel.editable && CounterDayEnd.canClose
                placeholderText: qsTr("Note (optional), e.g. why the cash differs")
                maximumLength: 300
                font.pixelSize: CounterStyle.body
                Layout.fillWidth: true
            }
            RowLayout {
                spacing: CounterStyle.gap
                Layout.fillWidth: true
                CounterButton {
                    objectName: "dayEndDeclare"
                    text: qsTr("Save count")
                    keyText: "Enter"
                    enabled: panel.editable && !CounterDayEnd.busy && CounterDayEnd.countValid
                    Layout.fillWidth: true
                    onClicked: CounterDayEnd.declare()
                }
                CounterButton {
                    objectName: "dayEndClose"
                    text: qsTr("Close my day-end")
                    kind: "green"
                    enabled: panel.editable && !CounterDayEnd.busy && CounterDayEnd.canClose
                    Layout.fillWidth: true
                    onClicked: panel.closeMine()
                }
            }
            CounterMessage {
                baseName: "dayEndMessage"
                text: CounterDayEnd.message
                otherText: CounterDayEnd.messageOther
                kind: CounterDayEnd.messageKind
                Layout.fillWidth: true
            }
            Item { Layout.fillHeight: true }
            RowLayout {
                spacing: CounterStyle.gap
                Layout.fillWidth: true
                CounterButton {
                    objectName: "dayEndPrint"
                    text: CounterDayEnd.printing ? qsTr("Printing…") : qsTr("Print")
                    keyText: "Ctrl+P"
                    kind: "secondary"
                    enabled: CounterDayEnd.loaded && !CounterDayEnd.printing
                    Layout.fillWidth: true
                    onClicked: CounterDayEnd.printReport()
                }
                CounterButton {
                    objectName: "dayEndCloseDay"
                    text: qsTr("Close the centre's day")
                    kind: "saffron"
                    enabled: !CounterDayEnd.busy && !CounterDayEnd.dayClosed
                    Layout.fillWidth: true
                    onClicked: CounterDayEnd.closeDay()
                }
                CounterButton {
                    objectName: "dayEndBack"
                    text: qsTr("Back")
                    keyText: "Esc"
                    kind: "secondary"
                    Layout.fillWidth: true
                    onClicked: panel.close()
                }
            }
        }

        // -- the day's figures and the chart ---------------------------------------------------
        ColumnLayout {
            spacing: CounterStyle.gap
            Layout.fillHeight: true
            Layout.preferredWidth: 6
            Layout.fillWidth: true
            Rectangle {
                radius: CounterStyle.radius
                color: Theme.card
                border.color: Theme.border
                Layout.fillWidth: true
                implicitHeight: figureGrid.implicitHeight + 24
                GridLayout {
                    id: figureGrid
                    objectName: "dayEndFigures"
                    anchors.fill: parent
                    anchors.margins: 12
                    columns: 4
                    rowSpacing: 10
                    columnSpacing: CounterStyle.gap
                    Repeater {
                        model: CounterDayEnd.figures
                        delegate: CounterFact {
                            required property var modelData
                            objectName: "dayEndFigure_" + modelData.key
                            label: modelData.label
                            value: modelData.value
                        }
                    }
                }
            }
            CounterDayEndChart {
                Layout.fillWidth: true
                Layout.fillHeight: true
            }
        }
    }

    Shortcut { sequence: "Ctrl+P"; enabled: panel.visible; onActivated: CounterDayEnd.printReport() }
}
