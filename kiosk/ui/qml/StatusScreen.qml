import QtQuick
import QtQuick.Controls.Basic
import QtQuick.Layouts
import Kiosk

// "Where is my application?": the number from the acknowledgement, typed or scanned, then one
// card that answers in a sentence (coloured by what the citizen must do), the dates that were
// promised, the fee, and where the answer came from. All state is in `Status`; leaving the
// screen or a session reset wipes it.
Rectangle {
    id: screen
    objectName: "statusScreen"
    color: Theme.page
    readonly property bool landscape: width > height
    readonly property string state_: Status.statusState
    readonly property bool hasResult: state_ !== "idle"
    // Landscape: the on-screen keyboard covers the lower half, so the field moves up.
    readonly property bool roomy: !(landscape && KeyboardArea.height > 0)
    // Typing the mobile's digits in landscape: the keyboard covers the lower half, so the
    // status banner, the masked name and the explanation step aside (they were read before
    // the tap) and the digits field moves up above the keyboard.
    property bool proofTyping: false

    function toneInk(tone) {
        switch (tone) {
        case "good": return Theme.green
        case "bad": return Theme.danger
        case "wait": return "#7A3A00"
        default: return Theme.blue
        }
    }
    function toneFill(tone) {
        switch (tone) {
        case "good": return Theme.greenLight
        case "bad": return Theme.dangerLight
        case "wait": return Theme.saffronLight
        default: return Theme.blueLight
        }
    }
    function toneEdge(tone) {
        return tone === "wait" ? Theme.saffron : toneInk(tone)
    }
    function submit() {
        numberField.focus = false
        KeyboardArea.dismiss()
        Status.search(numberField.text)
    }

    // A look-up starting closes the keyboard; a result cleared ("Another number") empties the
    // field. Only on those changes: a language switch re-emits the state and must keep typing.
    property string shownState: "idle"
    Connections {
        target: Status
        function onStatusChanged() {
            var now = Status.statusState
            if (now === screen.shownState)
                return
            if (now === "searching") {
                numberField.focus = false
                KeyboardArea.dismiss()
            } else if (now === "idle") {
                numberField.text = ""
            }
            screen.shownState = now
        }
    }

    // The code is Latin letters and digits whatever the session language: the field's
    // ImhLatinOnly hint gives it the keyboard's Latin page (digits on its top row).

    TopBar {
        id: bar
        anchors { left: parent.left; right: parent.right; top: parent.top }
        title: qsTr("Application status")
        onBackClicked: Session.goBack()
    }

    GridLayout {
        anchors { left: parent.left; right: parent.right; top: bar.bottom; bottom: parent.bottom
                  margins: screen.landscape ? 36 : Theme.margin }
        columns: screen.landscape ? 2 : 1
        columnSpacing: Theme.gap
        rowSpacing: screen.landscape ? 24 : Theme.gap

        // ---- entry: number field, check button, and the scan picture
        ColumnLayout {
            spacing: screen.landscape ? 24 : Theme.gap
            Layout.fillWidth: true
            Layout.fillHeight: screen.landscape
            Layout.preferredWidth: 1
            Layout.alignment: Qt.AlignTop

            Rectangle {
                Layout.fillWidth: true
                Layout.preferredHeight: entryColumn.implicitHeight + 56
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border
                border.width: 2

                ColumnLayout {
                    id: entryColumn
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 32; rightMargin: 32 }
                    spacing: 18
                    Text {
                        textFormat: Text.PlainText
                        text: qsTr("Type your application number")
                        color: Theme.text
                        font.pixelSize: Theme.largeSize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        visible: screen.roomy
                        text: qsTr("It is printed on your acknowledgement slip, for example:")
                        color: Theme.muted
                        font.pixelSize: Theme.smallSize
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }
                    Text {
                        textFormat: Text.PlainText
                        visible: screen.roomy
                        text: Status.numberExample
                        color: Theme.muted
                        font.family: "Noto Sans"
                        font.pixelSize: Theme.smallSize
                        elide: Text.ElideRight
                        Layout.fillWidth: true
                    }
                    TextField {
                        id: numberField
                        objectName: "statusNumberField"
                        property bool touchTarget: true
                        Layout.fillWidth: true
                        Layout.preferredHeight: 112
                        font.family: "Noto Sans"
                        font.pixelSize: 44
                        font.weight: Font.DemiBold
                        font.capitalization: Font.AllUppercase
                        color: Theme.text
                        leftPadding: 28
                        rightPadding: 28
                        maximumLength: 40
                        inputMethodHints: Qt.ImhLatinOnly | Qt.ImhPreferUppercase | Qt.ImhPreferNumbers
                                          | Qt.ImhNoPredictiveText | Qt.ImhNoAutoUppercase
                        placeholderText: qsTr("Application number")
                        placeholderTextColor: Theme.disabledText
                        background: Rectangle {
                            radius: 18
                            color: "white"
                            border.width: numberField.activeFocus ? 4 : 3
                            border.color: numberField.activeFocus ? Theme.saffron : Theme.blue
                        }
                        onAccepted: screen.submit()
                    }
                    KioskButton {
                        objectName: "statusCheckButton"
                        text: qsTr("Check status")
                        iconName: "status"
                        enabled: numberField.text.trim() !== "" && Status.statusState !== "searching"
                        Layout.fillWidth: true
                        Layout.preferredHeight: 112
                        onClicked: screen.submit()
                    }
                }
            }

            StatusScanHint {
                objectName: "statusScanHint"
                // In portrait a result needs the room; the scanner still works without the picture.
                visible: screen.landscape || !screen.hasResult
                kind: "slip"
                compact: screen.landscape
                large: !screen.landscape
                title: qsTr("Or scan the code on your acknowledgement")
                subText: qsTr("Hold the square code on your slip in front of the scanner.")
                Layout.fillWidth: true
            }

            Item { visible: screen.landscape; Layout.fillHeight: true }
        }

        // ---- the answer
        Item {
            Layout.fillWidth: true
            Layout.fillHeight: true
            Layout.preferredWidth: 1

            // nothing asked yet (landscape only: portrait shows the scan picture here)
            Text {
                textFormat: Text.PlainText
                visible: !screen.hasResult && screen.landscape
                anchors.centerIn: parent
                width: parent.width - 80
                text: qsTr("The status of your application will appear here.")
                color: Theme.muted
                font.pixelSize: Theme.largeSize
                horizontalAlignment: Text.AlignHCenter
                wrapMode: Text.WordWrap
            }

            // looking it up
            RowLayout {
                visible: screen.state_ === "searching"
                anchors.centerIn: parent
                spacing: 24
                BusyIndicator { running: parent.visible
                                Layout.preferredWidth: 80; Layout.preferredHeight: 80 }
                Text {
                    textFormat: Text.PlainText
                    text: qsTr("Looking up your application…")
                    color: Theme.blue
                    font.pixelSize: Theme.largeSize
                    font.weight: Font.DemiBold
                }
            }

            // wrong check character, not found here, or a fault
            Rectangle {
                id: errorCard
                objectName: "statusErrorCard"
                visible: screen.state_ === "invalid" || screen.state_ === "not_found"
                         || screen.state_ === "error"
                anchors { left: parent.left; right: parent.right; top: parent.top }
                height: errorColumn.implicitHeight + 64
                radius: Theme.radius
                readonly property string tone: screen.state_ === "not_found" ? "wait" : "bad"
                color: screen.toneFill(tone)
                border.color: screen.toneEdge(tone)
                border.width: 3
                ColumnLayout {
                    id: errorColumn
                    anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                              leftMargin: 32; rightMargin: 32 }
                    spacing: 16
                    RowLayout {
                        spacing: 24
                        Layout.fillWidth: true
                        Icon {
                            name: "warning"
                            color: screen.toneInk(errorCard.tone)
                            Layout.preferredWidth: 88
                            Layout.preferredHeight: 88
                            Layout.alignment: Qt.AlignTop
                        }
                        ColumnLayout {
                            spacing: 10
                            Layout.fillWidth: true
                            Text {
                                textFormat: Text.PlainText
                                objectName: "statusError"
                                text: Status.statusError
                                color: screen.toneInk(errorCard.tone)
                                font.pixelSize: Theme.largeSize
                                font.weight: Font.Bold
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                            Text {
                                textFormat: Text.PlainText
                                objectName: "statusErrorOther"
                                text: Status.statusErrorOther
                                color: Theme.text
                                font.pixelSize: Theme.bodySize
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                        }
                    }
                }
            }

            // the application
            Rectangle {
                objectName: "statusResultCard"
                visible: screen.state_ === "found"
                anchors { left: parent.left; right: parent.right; top: parent.top }
                height: Math.min(parent.height, resultColumn.implicitHeight + 48)
                radius: Theme.radius
                color: Theme.card
                border.color: Theme.border
                border.width: 2

                // Larger text in landscape is taller than the card can be: the answer scrolls
                // inside it (a scroll bar says so) instead of running off the screen.
                Flickable {
                    id: resultFlick
                    objectName: "statusResultFlick"
                    anchors { fill: parent; margins: 24 }
                    contentHeight: resultColumn.implicitHeight
                    clip: true
                    boundsBehavior: Flickable.StopAtBounds
                    ScrollIndicator.vertical: ScrollIndicator {
                        active: true
                        visible: resultFlick.contentHeight > resultFlick.height + 1
                        contentItem: Rectangle { implicitWidth: 8; radius: 4; color: Theme.muted }
                    }
                ColumnLayout {
                    id: resultColumn
                    width: resultFlick.width - (resultFlick.contentHeight > resultFlick.height + 1 ? 16 : 0)
                    spacing: screen.landscape ? 14 : 20

                    RowLayout {
                        spacing: 16
                        Layout.fillWidth: true
                        Text {
                            textFormat: Text.PlainText
                            text: qsTr("Application number")
                            color: Theme.muted
                            font.pixelSize: Theme.smallSize
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "statusApplicationNo"
                            text: Status.applicationNo
                            color: Theme.text
                            font.family: "Noto Sans"
                            font.pixelSize: Theme.bodySize
                            font.weight: Font.Bold
                            fontSizeMode: Text.HorizontalFit   // the whole number, never "…"
                            minimumPixelSize: 20
                            horizontalAlignment: Text.AlignRight
                            Layout.fillWidth: true
                        }
                    }

                    // the status, as a sentence on its colour
                    Rectangle {
                        objectName: "statusBanner"
                        visible: !(screen.landscape && screen.proofTyping)
                        Layout.fillWidth: true
                        Layout.preferredHeight: bannerRow.implicitHeight + 36
                        radius: 20
                        color: screen.toneFill(Status.statusTone)
                        border.color: screen.toneEdge(Status.statusTone)
                        border.width: 3
                        RowLayout {
                            id: bannerRow
                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                      leftMargin: 24; rightMargin: 24 }
                            spacing: 20
                            Icon {
                                name: Status.statusTone === "good" ? "check"
                                      : Status.statusTone === "info" ? "status" : "warning"
                                color: screen.toneInk(Status.statusTone)
                                Layout.preferredWidth: 72
                                Layout.preferredHeight: 72
                                Layout.alignment: Qt.AlignTop
                            }
                            ColumnLayout {
                                spacing: 6
                                Layout.fillWidth: true
                                Text {
                                    textFormat: Text.PlainText
                                    objectName: "statusSentence"
                                    text: Status.statusText
                                    color: screen.toneInk(Status.statusTone)
                                    font.pixelSize: Theme.largeSize
                                    font.weight: Font.Bold
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                                Text {
                                    textFormat: Text.PlainText
                                    objectName: "statusOverdue"
                                    visible: Status.overdueText !== ""
                                    text: Status.overdueText
                                    color: Theme.danger
                                    font.pixelSize: Theme.smallSize
                                    font.weight: Font.DemiBold
                                    wrapMode: Text.WordWrap
                                    Layout.fillWidth: true
                                }
                            }
                        }
                    }

                    // not proven yet: a stranger may have typed a guessed number, so only the status and a
                    // masked name show until the slip's code or the mobile's last digits prove it
                    StatusFact {
                        visible: !Status.proven && !(screen.landscape && screen.proofTyping)
                        label: qsTr("Applicant")
                        value: Status.applicantName
                        valueName: "statusApplicantMasked"
                        valueSize: Theme.bodySize
                        Layout.fillWidth: true
                    }
                    Rectangle {
                        objectName: "statusProofCard"
                        visible: !Status.proven
                        Layout.fillWidth: true
                        Layout.preferredHeight: proofColumn.implicitHeight + 40
                        radius: 20
                        color: Theme.page
                        border.color: Theme.border
                        border.width: 2
                        ColumnLayout {
                            id: proofColumn
                            anchors { left: parent.left; right: parent.right; verticalCenter: parent.verticalCenter
                                      leftMargin: 24; rightMargin: 24 }
                            spacing: 14
                            Text {
                                textFormat: Text.PlainText
                                visible: !(screen.landscape && screen.proofTyping)
                                text: qsTr("To see the details or print the slip again, scan the code on your acknowledgement, or type the last 4 digits of the mobile number you gave.")
                                color: Theme.text
                                font.pixelSize: Theme.smallSize
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                            RowLayout {
                                spacing: 16
                                Layout.fillWidth: true
                                TextField {
                                    id: digitsField
                                    objectName: "statusProofField"
                                    property bool touchTarget: true
                                    Layout.preferredWidth: 260
                                    Layout.preferredHeight: 104
                                    font.family: "Noto Sans"
                                    font.pixelSize: 44
                                    font.weight: Font.DemiBold
                                    horizontalAlignment: TextInput.AlignHCenter
                                    maximumLength: 4
                                    echoMode: TextInput.Password
                                    passwordCharacter: "•"
                                    inputMethodHints: Qt.ImhDigitsOnly | Qt.ImhNoPredictiveText
                                                      | Qt.ImhSensitiveData
                                    validator: RegularExpressionValidator { regularExpression: /[0-9]{0,4}/ }
                                    placeholderText: "0000"
                                    placeholderTextColor: Theme.disabledText
                                    background: Rectangle {
                                        radius: 18
                                        color: "white"
                                        border.width: digitsField.activeFocus ? 4 : 3
                                        border.color: digitsField.activeFocus ? Theme.saffron : Theme.blue
                                    }
                                    onActiveFocusChanged: screen.proofTyping = activeFocus
                                    onAccepted: proveButton.clicked()
                                }
                                KioskButton {
                                    id: proveButton
                                    objectName: "statusProveButton"
                                    text: qsTr("Show details")
                                    textSize: Theme.bodySize
                                    enabled: digitsField.text.length === 4
                                             && Status.proofState !== "checking"
                                    Layout.fillWidth: true
                                    Layout.preferredHeight: 104
                                    onClicked: {
                                        digitsField.focus = false
                                        KeyboardArea.dismiss()
                                        Status.proveMobile(digitsField.text)
                                        digitsField.text = ""
                                    }
                                }
                            }
                            Text {
                                objectName: "statusProofError"
                                visible: Status.proofError !== ""
                                text: Status.proofError
                                textFormat: Text.PlainText
                                color: Theme.danger
                                font.pixelSize: Theme.smallSize
                                font.weight: Font.Bold
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                            Text {
                                objectName: "statusProofErrorOther"
                                visible: Status.proofErrorOther !== ""
                                text: Status.proofErrorOther
                                textFormat: Text.PlainText
                                color: Theme.text
                                font.pixelSize: Theme.smallSize
                                wrapMode: Text.WordWrap
                                Layout.fillWidth: true
                            }
                        }
                    }

                    GridLayout {
                        visible: Status.proven
                        columns: 2
                        columnSpacing: 16
                        rowSpacing: 16
                        Layout.fillWidth: true
                        StatusFact {
                            label: qsTr("Service")
                            value: Status.serviceName
                            valueOther: Status.serviceNameOther
                            valueName: "statusService"
                            valueSize: Theme.bodySize
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            Layout.preferredWidth: 1
                        }
                        StatusFact {
                            label: qsTr("Applicant")
                            value: Status.applicantName
                            valueName: "statusApplicant"
                            valueSize: Theme.bodySize
                            Layout.fillWidth: true
                            Layout.fillHeight: true
                            Layout.preferredWidth: 1
                        }
                        StatusFact {
                            label: qsTr("Submitted on")
                            value: Status.submittedText
                            valueName: "statusSubmitted"
                            valueSize: Theme.bodySize
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                        }
                        StatusFact {
                            label: qsTr("Guaranteed by")
                            value: Status.dueText
                            valueName: "statusDue"
                            valueSize: Theme.bodySize
                            Layout.fillWidth: true
                            Layout.preferredWidth: 1
                        }
                        StatusFact {
                            label: qsTr("Fee")
                            value: Status.paymentText
                            valueName: "statusPayment"
                            valueSize: Theme.bodySize
                            color: Status.paymentSettled ? Theme.page : Theme.saffronLight
                            Layout.columnSpan: 2
                            Layout.fillWidth: true
                        }
                    }

                    // where the answer came from
                    RowLayout {
                        spacing: 16
                        Layout.fillWidth: true
                        BusyIndicator {
                            visible: Status.source === "checking"
                            running: visible
                            Layout.preferredWidth: 44
                            Layout.preferredHeight: 44
                        }
                        Rectangle {
                            visible: Status.source !== "checking"
                            implicitWidth: 22; implicitHeight: 22; radius: 11
                            color: Status.source === "online" ? Theme.green : Theme.saffron
                            Layout.alignment: Qt.AlignTop
                            Layout.topMargin: 10
                        }
                        Text {
                            textFormat: Text.PlainText
                            objectName: "statusSource"
                            text: Status.sourceText
                            color: Theme.muted
                            font.pixelSize: Theme.smallSize
                            wrapMode: Text.WordWrap
                            Layout.fillWidth: true
                        }
                    }

                    Text {
                        textFormat: Text.PlainText
                        objectName: "statusPrintText"
                        visible: Status.printState !== "idle"
                        text: Status.printState === "printing" ? qsTr("Printing your slip…")
                              : Status.printState === "printed" ? qsTr("Please take your slip")
                              : Status.printError
                        color: Status.printState === "failed" ? Theme.danger
                               : Status.printState === "printed" ? Theme.green : Theme.blue
                        font.pixelSize: Theme.bodySize
                        font.weight: Font.Bold
                        wrapMode: Text.WordWrap
                        Layout.fillWidth: true
                    }

                    RowLayout {
                        spacing: 16
                        Layout.fillWidth: true
                        KioskButton {
                            objectName: "statusReprintButton"
                            visible: Status.proven
                            kind: "secondary"
                            iconName: "printer"
                            text: qsTr("Print acknowledgement again")
                            textSize: Theme.bodySize
                            enabled: Status.printState !== "printing"
                            Layout.fillWidth: true
                            Layout.preferredWidth: 3
                            Layout.preferredHeight: 104
                            onClicked: Status.reprintAcknowledgement()
                        }
                        KioskButton {
                            objectName: "statusAnotherButton"
                            kind: "ghost"
                            text: qsTr("Another number")
                            textSize: Theme.bodySize
                            Layout.fillWidth: true
                            Layout.preferredWidth: 2
                            Layout.preferredHeight: 104
                            onClicked: Status.clearStatus()
                        }
                    }
                }
                }
            }
        }
    }
}
