pragma ComponentBehavior: Bound

import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import SevaKiosk.Counter
import ".."

// The operator's layout of the application wizard (Ctrl+N, for the token being served): the
// kiosk's steps from the catalogue, every field of a step on one screen, keyboard first —
// Tab / Enter to the next field, Enter on the last field checks the step and moves on,
// Ctrl+Enter submits, Esc cancels. All state is in DeskWizard.
Rectangle {
    id: wizard
    objectName: "deskWizardScreen"
    color: Theme.page

    ColumnLayout {
        anchors.fill: parent
        anchors.margins: CounterStyle.margin
        spacing: CounterStyle.gap

        // -- title, token, steps -----------------------------------------------------------
        RowLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            Text {
                textFormat: Text.PlainText
                text: qsTr("New application")
                color: Theme.text
                font.pixelSize: CounterStyle.heading
                font.weight: Font.Bold
            }
            Rectangle {
                radius: 6
                color: Theme.blue
                implicitWidth: tokenText.implicitWidth + 20
                implicitHeight: tokenText.implicitHeight + 8
                Text {
                    textFormat: Text.PlainText
                    id: tokenText
                    objectName: "deskWizardToken"
                    anchors.centerIn: parent
                    text: qsTr("Token %1").arg(DeskWizard.token)
                    color: "white"
                    font.pixelSize: CounterStyle.body
                    font.weight: Font.DemiBold
                }
            }
            Text {
                textFormat: Text.PlainText
                objectName: "deskWizardService"
                text: DeskWizard.serviceName
                color: Theme.blue
                font.pixelSize: CounterStyle.large
                font.weight: Font.DemiBold
                elide: Text.ElideRight
                Layout.fillWidth: true
            }
        }
        RowLayout {
            spacing: 6
            Layout.fillWidth: true
            Repeater {
                model: DeskWizard.steps
                delegate: Rectangle {
                    id: stepChip
                    required property var modelData
                    required property int index
                    radius: 6
                    color: stepChip.modelData.current ? Theme.blue : stepChip.index < DeskWizard.stepIndex ? Theme.blueLight : Theme.card
                    border.color: Theme.border
                    implicitHeight: chipText.implicitHeight + 10
                    Layout.fillWidth: true
                    Text {
                        textFormat: Text.PlainText
                        id: chipText
                        anchors.fill: parent
                        anchors.leftMargin: 8
                        anchors.rightMargin: 8
                        verticalAlignment: Text.AlignVCenter
                        text: (stepChip.index + 1) + ". " + stepChip.modelData.title
                        color: stepChip.modelData.current ? "white" : Theme.text
                        font.pixelSize: CounterStyle.small
                        font.weight: stepChip.modelData.current ? Font.Bold : Font.Normal
                        elide: Text.ElideRight
                    }
                }
            }
        }

        // -- the step ------------------------------------------------------------------------
        Rectangle {
            radius: CounterStyle.radius
            color: Theme.card
            border.color: Theme.border
            Layout.fillWidth: true
            Layout.fillHeight: true
            Loader {
                id: stepLoader
                objectName: "deskStepLoader"
                anchors.fill: parent
                anchors.margins: CounterStyle.margin
                sourceComponent: DeskWizard.done ? resultStep
                               : DeskWizard.stepKey === "_service" ? serviceStep
                               : DeskWizard.stepKey === "_documents" ? documentsStep : fieldsStep
            }
        }

        CounterMessage {
            baseName: "deskWizardMessage"
            text: DeskWizard.message
            otherText: DeskWizard.messageOther
            kind: DeskWizard.messageKind
            Layout.fillWidth: true
        }

        RowLayout {
            spacing: CounterStyle.gap
            Layout.fillWidth: true
            CounterButton {
                objectName: "deskCancelButton"
                text: DeskWizard.done ? qsTr("Close") : qsTr("Cancel")
                keyText: "Esc"
                kind: "secondary"
                Layout.preferredWidth: Math.round(180 * CounterStyle.scale)
                onClicked: DeskWizard.cancel()
            }
            CounterButton {
                objectName: "deskBackButton"
                visible: !DeskWizard.done
                text: qsTr("Back")
                keyText: "Alt+←"
                kind: "secondary"
                enabled: DeskWizard.stepIndex > 0 && !DeskWizard.busy
                Layout.preferredWidth: Math.round(180 * CounterStyle.scale)
                onClicked: DeskWizard.back()
            }
            Item { Layout.fillWidth: true }
            CounterButton {
                objectName: "deskNextButton"
                visible: !DeskWizard.done && DeskWizard.stepKey !== "_documents"
                text: qsTr("Next")
                keyText: "Enter"
                enabled: !DeskWizard.busy
                Layout.preferredWidth: Math.round(200 * CounterStyle.scale)
                onClicked: DeskWizard.next()
            }
            CounterButton {
                objectName: "deskSubmitButton"
                visible: !DeskWizard.done
                text: qsTr("Submit")
                keyText: "Ctrl+Enter"
                kind: "green"
                enabled: !DeskWizard.busy && DeskWizard.serviceCode !== ""
                Layout.preferredWidth: Math.round(240 * CounterStyle.scale)
                onClicked: DeskWizard.submit()
            }
        }
    }

    // -- step components ---------------------------------------------------------------------
    Component {
        id: serviceStep
        ColumnLayout {
            id: serviceColumn
            spacing: CounterStyle.gap
            function matches(): var {
                const q = filter.text.trim().toLowerCase()
                const all = DeskWizard.services
                if (q === "") return all
                return all.filter(s => s.code.toLowerCase().startsWith(q)
                                  || s.name.toLowerCase().indexOf(q) >= 0
                                  || s.other.toLowerCase().indexOf(q) >= 0)
            }
            TextField {
                id: filter
                objectName: "deskServiceFilter"
                placeholderText: qsTr("Type the service code or name, then Enter")
                font.pixelSize: CounterStyle.body
                Layout.fillWidth: true
                Layout.preferredHeight: Math.round(44 * CounterStyle.scale)
                Component.onCompleted: forceActiveFocus()
                Keys.onReturnPressed: (event) => {
                    if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
                    const found = serviceColumn.matches()
                    if (found.length > 0) DeskWizard.chooseService(found[0].code)
                }
                Keys.onEnterPressed: (event) => {
                    if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
                    const found = serviceColumn.matches()
                    if (found.length > 0) DeskWizard.chooseService(found[0].code)
                }
            }
            GridLayout {
                columns: 3
                rowSpacing: CounterStyle.gap
                columnSpacing: CounterStyle.gap
                Layout.fillWidth: true
                Repeater {
                    model: serviceColumn.matches()
                    delegate: CounterButton {
                        id: serviceButton
                        required property var modelData
                        objectName: "deskService_" + serviceButton.modelData.code
                        text: serviceButton.modelData.name
                        keyText: serviceButton.modelData.code
                        kind: serviceButton.modelData.code === DeskWizard.serviceCode ? "primary" : "secondary"
                        Layout.fillWidth: true
                        Layout.preferredWidth: 100
                        Layout.preferredHeight: Math.round(56 * CounterStyle.scale)
                        onClicked: DeskWizard.chooseService(serviceButton.modelData.code)
                    }
                }
            }
            Item { Layout.fillHeight: true }
        }
    }

    Component {
        id: fieldsStep
        GridLayout {
            id: grid
            columns: 2
            rowSpacing: Math.round(8 * CounterStyle.scale)
            columnSpacing: CounterStyle.margin
            Repeater {
                id: fieldRepeater
                model: DeskWizard.fields
                delegate: CounterApplyField {
                    last: index === fieldRepeater.count - 1
                    Layout.fillWidth: true
                    Layout.preferredWidth: 100
                    Layout.alignment: Qt.AlignTop
                    Component.onCompleted: if (index === 0) takeFocus()
                }
            }
            Item { Layout.fillHeight: true; Layout.columnSpan: 2 }
        }
    }

    Component {
        id: documentsStep
        RowLayout {
            spacing: CounterStyle.margin
            ColumnLayout {
                spacing: 4
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 3
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Documents seen (tick each one you checked)")
                    color: Theme.text
                    font.pixelSize: CounterStyle.body
                    font.weight: Font.Bold
                }
                Repeater {
                    id: docRepeater
                    model: DeskWizard.checklist
                    delegate: CheckBox {
                        id: doc
                        required property var modelData
                        required property int index
                        objectName: "deskDoc_" + doc.modelData.key
                        text: doc.modelData.name + (doc.modelData.required ? "" : " " + qsTr("(if any)"))
                        checked: doc.modelData.seen
                        font.pixelSize: CounterStyle.body
                        onToggled: DeskWizard.toggleDocument(doc.modelData.key)
                        Component.onCompleted: if (doc.index === 0) forceActiveFocus()
                        Keys.onReturnPressed: (event) => {
                            if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
                            doc.nextItemInFocusChain(true).forceActiveFocus()
                        }
                    }
                }
                Item { Layout.fillHeight: true }
            }
            ColumnLayout {
                spacing: 4
                Layout.fillWidth: true
                Layout.fillHeight: true
                Layout.preferredWidth: 2
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Delivery of the certificate")
                    color: Theme.text
                    font.pixelSize: CounterStyle.body
                    font.weight: Font.Bold
                }
                Repeater {
                    model: DeskWizard.deliveryOptions
                    delegate: RadioButton {
                        id: way
                        required property var modelData
                        objectName: "deskDelivery_" + way.modelData.value
                        text: way.modelData.label + (way.modelData.fee !== "" ? " (+" + way.modelData.fee + ")" : "")
                        checked: way.modelData.value === DeskWizard.delivery
                        font.pixelSize: CounterStyle.body
                        onClicked: DeskWizard.setDelivery(way.modelData.value)
                        Keys.onReturnPressed: (event) => {
                            if (event.modifiers & Qt.ControlModifier) { event.accepted = false; return }
                            DeskWizard.submit()
                        }
                    }
                }
                Item { Layout.fillHeight: true }
            }
        }
    }

    Component {
        id: resultStep
        ColumnLayout {
            spacing: CounterStyle.gap
            Item { Layout.fillHeight: true }
            Text {
                textFormat: Text.PlainText
                text: qsTr("Application number")
                color: Theme.muted
                font.pixelSize: CounterStyle.body
                Layout.alignment: Qt.AlignHCenter
            }
            Text {
                textFormat: Text.PlainText
                objectName: "deskResultNumber"
                text: DeskWizard.resultNumber
                color: Theme.blue
                font.pixelSize: Math.round(44 * CounterStyle.scale)
                font.weight: Font.Bold
                font.family: "Noto Sans"
                Layout.alignment: Qt.AlignHCenter
            }
            Text {
                textFormat: Text.PlainText
                objectName: "deskResultFee"
                text: DeskWizard.resultFeePaise > 0 ? qsTr("Fee: %1").arg(DeskWizard.resultFee) : qsTr("No fee for this service.")
                color: Theme.text
                font.pixelSize: CounterStyle.heading
                font.weight: Font.DemiBold
                Layout.alignment: Qt.AlignHCenter
            }
            CounterButton {
                objectName: "deskTakeCashButton"
                visible: DeskWizard.resultFeePaise > 0
                text: qsTr("Take cash")
                kind: "green"
                textSize: CounterStyle.large
                Layout.alignment: Qt.AlignHCenter
                Layout.preferredWidth: Math.round(320 * CounterStyle.scale)
                Layout.preferredHeight: CounterStyle.actionHeight
                onClicked: DeskWizard.takeCash()
            }
            Item { Layout.fillHeight: true }
        }
    }

    Shortcut {
        sequences: ["Ctrl+Return", "Ctrl+Enter"]
        enabled: !DeskWizard.done && !DeskWizard.busy
        onActivated: DeskWizard.submit()
    }
    Shortcut { sequence: "Escape"; onActivated: DeskWizard.cancel() }
    Shortcut { sequence: "Alt+Left"; enabled: !DeskWizard.done; onActivated: DeskWizard.back() }
}
