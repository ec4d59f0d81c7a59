import { IsString, Length, Matches } from 'class-validator';

const NO_CONTROL_CHARACTERS = /^\P{Cc}*$/u;

export class CreateSessionDto {
  /**
   * The DeepCall account id.
   * @example "demo"
   */
  @IsString()
  @Length(1, 128)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'userId must not contain control characters' })
  userId: string;

  /**
   * The DeepCall API token of that account. Sent upstream once to log in, then kept only
   * encrypted on the server.
   * @example "demo-token"
   */
  @IsString()
  @Length(1, 512)
  @Matches(NO_CONTROL_CHARACTERS, { message: 'token must not contain control characters' })
  token: string;
}
